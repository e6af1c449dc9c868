package bridge

import (
	"context"
	"errors"
	"sync"

	"github.com/gobridge/gobridge/internal/pymarshal"
	"github.com/gobridge/gobridge/pyerr"
)

// pendingCall is a call running on its own goroutine, so that Python can
// wait for it interruptibly, cancel it, or await it from asyncio.
type pendingCall struct {
	cancel context.CancelCauseFunc
	done   chan struct{}
	status Status
	result []byte
}

var pending struct {
	sync.Mutex
	next  uint64
	calls map[uint64]*pendingCall
}

// Cancellation causes, which the call's error reports when the Go function
// returns the context's error.
var (
	ErrInterrupted = errors.New("interrupted from Python")
	ErrTimeout     = errors.New("timed out")
)

// StartCall starts function fid on a new goroutine and returns the call's
// id. The function's context.Context (if it takes one) is cancelled by
// CancelCall. When the call ends, Go calls the Python callable done (a
// callback id, 0 for none). Spans must stay valid until then.
func StartCall(fid, self uint64, args []byte, spans [][]byte, done uint64) uint64 {
	ctx, cancel := context.WithCancelCause(context.Background())
	pc := &pendingCall{cancel: cancel, done: make(chan struct{})}
	pending.Lock()
	if pending.calls == nil {
		pending.calls = map[uint64]*pendingCall{}
	}
	pending.next++
	id := pending.next
	pending.calls[id] = pc
	pending.Unlock()
	// The arguments live in Python memory that may be reused once
	// StartCall returns; the goroutine needs its own copy.
	args = append([]byte(nil), args...)
	go func() {
		var enc pymarshal.Encoder
		pc.status = callContext(ctx, fid, self, args, spans, &enc)
		pc.result = enc.Bytes()
		close(pc.done)
		if done != 0 && python != nil {
			python(done, []byte{')', 0})
		}
	}()
	return id
}

// CancelCall cancels the context of a started call; timeout says why.
func CancelCall(id uint64, timeout bool) {
	pending.Lock()
	pc := pending.calls[id]
	pending.Unlock()
	if pc == nil {
		return
	}
	if timeout {
		pc.cancel(ErrTimeout)
	} else {
		pc.cancel(ErrInterrupted)
	}
}

// FinishCall waits for a started call and returns its status and
// marshalled result, forgetting the call.
func FinishCall(id uint64) (Status, []byte) {
	pending.Lock()
	pc := pending.calls[id]
	delete(pending.calls, id)
	pending.Unlock()
	if pc == nil {
		var enc pymarshal.Encoder
		return writeError(&enc, pyerr.RuntimeError("gobridge: no pending call %d", id)), enc.Bytes()
	}
	<-pc.done
	return pc.status, pc.result
}

// PendingCalls returns the number of started calls not yet finished.
func PendingCalls() int {
	pending.Lock()
	defer pending.Unlock()
	return len(pending.calls)
}

// callContext is Call with a context for functions that take one.
func callContext(ctx context.Context, fid, self uint64, args []byte, spans [][]byte, enc *pymarshal.Encoder) Status {
	f := functions.get(fid)
	if f == nil {
		return writeError(enc, pyerr.RuntimeError("gobridge: function %d does not exist or its module was released", fid))
	}
	if f.direct != nil {
		return f.callDirect(self, args, enc)
	}
	results, err := f.invokeContext(ctx, self, args, spans)
	if err != nil {
		if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
			if cause := context.Cause(ctx); cause != nil {
				err = cancellationError(f, cause)
			}
		}
		return writeError(enc, err)
	}
	return writeResults(enc, f, results)
}

func cancellationError(f *function, cause error) error {
	if errors.Is(cause, ErrTimeout) {
		return &pyerr.Exception{Type: "TimeoutError", Msg: f.name + "() timed out", Err: cause}
	}
	return &pyerr.Exception{Type: "KeyboardInterrupt", Msg: "", Err: cause}
}
