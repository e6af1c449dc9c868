package main

import (
	"fmt"
	"strconv"
	"strings"
)

// panicRule is one -panic flag: the functions (F) and methods (T.M) whose
// panics with a message starting with message raise exception.
type panicRule struct {
	keys      []string
	exception string
	message   string
}

// panicFlag collects the -panic flags, in order.
type panicFlag struct{ rules *[]panicRule }

func (p panicFlag) String() string {
	if p.rules == nil {
		return ""
	}
	parts := make([]string, len(*p.rules))
	for i, r := range *p.rules {
		parts[i] = r.String()
	}
	return strings.Join(parts, " ")
}

// String is the rule as the flag's value, quoted for the generated file's
// header, where one -panic= precedes each.
func (r panicRule) String() string {
	return strconv.Quote(strings.Join(r.keys, ",") + "=" + r.exception + ":" + r.message)
}

// Set parses "F,T.M=Exception:message".
func (p panicFlag) Set(s string) error {
	keys, rule, ok := strings.Cut(s, "=")
	exception, message, ok2 := strings.Cut(rule, ":")
	if !ok || !ok2 || strings.TrimSpace(keys) == "" || exception == "" || message == "" {
		return fmt.Errorf("bad -panic %q: want Func,Type.Method=Exception:message", s)
	}
	r := panicRule{exception: strings.TrimSpace(exception), message: message}
	for _, k := range strings.Split(keys, ",") {
		if k = strings.TrimSpace(k); k != "" {
			r.keys = append(r.keys, k)
		}
	}
	*p.rules = append(*p.rules, r)
	return nil
}

// panicHeaderArgs returns the -panic flags as the generated file's header
// records them, one per rule.
func panicHeaderArgs(rules []panicRule) []string {
	args := make([]string, len(rules))
	for i, r := range rules {
		args[i] = "-panic=" + r.String()
	}
	return args
}

// panicAs is one py.PanicAs option of a function.
type panicAs struct {
	exception string
	messages  []string
}

// panicsOf returns the py.PanicAs options of the function or method key
// ("F" or "T.M") from the -panic flags, one per exception in the order the
// flags name them, and marks key used.
func (b *builder) panicsOf(key string) []panicAs {
	var out []panicAs
	for _, r := range b.cfg.panics {
		for _, k := range r.keys {
			if k != key {
				continue
			}
			b.used["panic "+key] = true
			merged := false
			for i := range out {
				if out[i].exception == r.exception {
					out[i].messages = append(out[i].messages, r.message)
					merged = true
				}
			}
			if !merged {
				out = append(out, panicAs{exception: r.exception, messages: []string{r.message}})
			}
		}
	}
	return out
}

// checkPanicKeys reports -panic names that match no bound function or
// method, as for -rename.
func (b *builder) checkPanicKeys() {
	for _, r := range b.cfg.panics {
		for _, k := range r.keys {
			if !b.used["panic "+k] {
				b.errs = append(b.errs, fmt.Errorf("-panic %s matches no bound function or method", k))
			}
		}
	}
}

// panicOptions returns the py.PanicAs options of a function, each preceded
// by a comma.
func panicOptions(rules []panicAs) string {
	var b strings.Builder
	for _, r := range rules {
		fmt.Fprintf(&b, ", py.PanicAs(%q", r.exception)
		for _, m := range r.messages {
			fmt.Fprintf(&b, ", %q", m)
		}
		b.WriteString(")")
	}
	return b.String()
}
