package awsapi

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/smithy-go/middleware"
)

// ReadOnlyError is returned, before anything is sent, for an operation the
// read-only guard refuses.
type ReadOnlyError struct {
	Service, Operation string
	// Undeclared is true when the name looks like a read but the operation
	// is missing from the operations table (and so from the required
	// policy).
	Undeclared bool
}

func (e *ReadOnlyError) Error() string {
	if e.Undeclared {
		return fmt.Sprintf("read-only guard: %s %s is not declared in the collector's operation table", e.Service, e.Operation)
	}
	return fmt.Sprintf("read-only guard: %s %s is not a read operation; refused", e.Service, e.Operation)
}

// isReadName is the naming rule: AWS names read-only calls Get*, List* or
// Describe*; everything else may change the account.
func isReadName(op string) bool {
	for _, p := range []string{"Get", "List", "Describe"} {
		if rest, ok := strings.CutPrefix(op, p); ok && (rest == "" || rest[0] >= 'A' && rest[0] <= 'Z') {
			return true
		}
	}
	return false
}

// checkReadOnly decides whether the guard lets an operation through: its
// name must be a read name (or listed in readNamedOtherwise), and it must
// be declared in the operations table.
func checkReadOnly(service, op string) error {
	if !isReadName(op) && !readNamedOtherwise[service+"."+op] {
		return &ReadOnlyError{Service: service, Operation: op}
	}
	if _, ok := lookupOperation(service, op); !ok {
		return &ReadOnlyError{Service: service, Operation: op, Undeclared: true}
	}
	return nil
}

const guardID = "lambdacheck.ReadOnlyGuard"

// guard is the Initialize middleware that refuses non-read operations
// before they are serialized, signed or sent.
var guard = middleware.InitializeMiddlewareFunc(guardID, func(ctx context.Context, in middleware.InitializeInput, next middleware.InitializeHandler) (middleware.InitializeOutput, middleware.Metadata, error) {
	if err := checkReadOnly(middleware.GetServiceID(ctx), middleware.GetOperationName(ctx)); err != nil {
		return middleware.InitializeOutput{}, middleware.Metadata{}, err
	}
	return next.HandleInitialize(ctx, in)
})

func addGuard(stack *middleware.Stack) error {
	if _, ok := stack.Initialize.Get(guardID); ok {
		return nil
	}
	return stack.Initialize.Add(guard, middleware.Before)
}

// ReadOnly returns a copy of cfg whose every client refuses non-read
// operations. Collect applies it itself; LoadConfig applies it before it
// builds the STS client that assumes --role-arn.
func ReadOnly(cfg aws.Config) aws.Config {
	out := cfg.Copy()
	out.APIOptions = append(append([]func(*middleware.Stack) error(nil), cfg.APIOptions...), addGuard)
	return out
}

// limiter bounds the requests in flight across every client: each attempt
// holds a slot from signing to response, so retries waiting out their
// backoff hold none.
type limiter chan struct{}

func (l limiter) middleware() func(*middleware.Stack) error {
	mw := middleware.FinalizeMiddlewareFunc("lambdacheck.Concurrency", func(ctx context.Context, in middleware.FinalizeInput, next middleware.FinalizeHandler) (middleware.FinalizeOutput, middleware.Metadata, error) {
		select {
		case l <- struct{}{}:
		case <-ctx.Done():
			return middleware.FinalizeOutput{}, middleware.Metadata{}, ctx.Err()
		}
		defer func() { <-l }()
		return next.HandleFinalize(ctx, in)
	})
	return func(stack *middleware.Stack) error { return stack.Finalize.Add(mw, middleware.After) }
}

// callTimeout bounds each API call, its retries included, so an endpoint
// that accepts connections and never answers cannot hold a collection.
func callTimeout(d time.Duration) func(*middleware.Stack) error {
	mw := middleware.InitializeMiddlewareFunc("lambdacheck.CallTimeout", func(ctx context.Context, in middleware.InitializeInput, next middleware.InitializeHandler) (middleware.InitializeOutput, middleware.Metadata, error) {
		ctx, cancel := context.WithTimeout(ctx, d)
		defer cancel()
		return next.HandleInitialize(ctx, in)
	})
	return func(stack *middleware.Stack) error { return stack.Initialize.Add(mw, middleware.After) }
}
