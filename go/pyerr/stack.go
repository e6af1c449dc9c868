package pyerr

import "strings"

// A stack that NewPanic records holds, above the frame that panicked, the
// frames of the recovery (runtime/debug.Stack, NewPanic, the deferred
// function that recovered) and of the runtime's panic; below the module's
// code, those of gobridge's call machinery. TrimStack tells them apart by
// function name.
const modulePath = "github.com/gobridge/gobridge/"

var (
	// runtimePanicFrames start the runtime's own frames between panic and
	// the frame that panicked: a runtime error's panicdivide, goPanicIndex,
	// sigpanic and the like.
	runtimePanicFrames = []string{"runtime.panic", "runtime.goPanic", "runtime.sigpanic("}
	// machineryFrames start the frames of gobridge's packages that call
	// into a module's Go code (reflect's frames just above them go too).
	machineryFrames = []string{modulePath + "internal/", modulePath + "capi.", modulePath + "py.", modulePath + "pyerr."}
)

// TrimStack returns a goroutine's stack as runtime/debug.Stack writes it,
// trimmed to the frames of the code that panicked: it keeps the goroutine
// header line and starts at the frame that called panic (or at the
// runtime error's frame, or at the module code that called package py when
// py panicked), and stops before gobridge's call machinery when
// the panic was not in gobridge's own code. A stack without a panic frame
// loses only the frames of its recording.
func TrimStack(stack string) string {
	header, rest, ok := strings.Cut(stack, "\n")
	if !ok || !strings.HasPrefix(header, "goroutine ") {
		return stack
	}
	frames := splitFrames(rest)
	start := -1
	for i, f := range frames {
		if strings.HasPrefix(f, "panic(") || strings.HasPrefix(f, "runtime.gopanic(") {
			start = i + 1
			break
		}
	}
	if start < 0 {
		start = 0
		for start < len(frames) && (strings.HasPrefix(frames[start], "runtime/debug.") || hasAnyPrefix(frames[start], machineryFrames)) {
			start++
		}
	} else {
		for start < len(frames) && hasAnyPrefix(frames[start], runtimePanicFrames) {
			start++
		}
	}
	frames = frames[start:]
	// A panic of the authoring API (package py) refuses what the module's
	// code asked of it, such as Module.Func on a signature that cannot
	// cross: the stack starts at that code.
	authoring := 0
	for authoring < len(frames) && strings.HasPrefix(frames[authoring], modulePath+"py.") {
		authoring++
	}
	if authoring > 0 && authoring < len(frames) && !hasAnyPrefix(frames[authoring], machineryFrames) {
		frames = frames[authoring:]
	}
	if len(frames) > 0 && !hasAnyPrefix(frames[0], machineryFrames) {
		for i := 1; i < len(frames); i++ {
			if hasAnyPrefix(frames[i], machineryFrames) {
				end := i
				for end > 1 && strings.HasPrefix(frames[end-1], "reflect.") {
					end--
				}
				frames = frames[:end]
				break
			}
		}
	}
	return header + "\n" + strings.Join(frames, "")
}

// splitFrames splits the frames of a stack, each a function line and the
// indented lines after it, keeping their text and newlines.
func splitFrames(s string) []string {
	var frames []string
	for s != "" {
		line, rest, _ := strings.Cut(s, "\n")
		end := len(line) + 1
		for strings.HasPrefix(rest, "\t") {
			next, after, _ := strings.Cut(rest, "\n")
			end += len(next) + 1
			rest = after
		}
		if end > len(s) {
			end = len(s)
		}
		if strings.TrimSpace(s[:end]) != "" {
			frames = append(frames, s[:end])
		}
		s = s[end:]
	}
	return frames
}

func hasAnyPrefix(s string, prefixes []string) bool {
	for _, p := range prefixes {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}
