package main

import (
	"bufio"
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/lambdacheck/lambdacheck/analyzer/inventory"
	"github.com/lambdacheck/lambdacheck/analyzer/pipeline"
	"github.com/lambdacheck/lambdacheck/analyzer/report"
	"github.com/lambdacheck/lambdacheck/analyzer/report/clean"
	"github.com/lambdacheck/lambdacheck/simulator/eventtrace"
)

// eventFlags are simulate's concrete-event options.
type eventFlags struct {
	file string // --event FILE, "-" for standard input
	bus  string
	eventtrace.Shorthand
}

func registerEventFlags(fl *pflag.FlagSet, e *eventFlags) {
	fl.StringVar(&e.file, "event", "", "trace one concrete event from `FILE` (\"-\": standard input): what it triggers, what each invoked function can reach, what follows")
	fl.StringVar(&e.S3Event, "s3", "", "trace an S3 event of this `TYPE` (ObjectCreated:Put …) with --bucket and --key")
	fl.StringVar(&e.Bucket, "bucket", "", "with --s3: the bucket `NAME`")
	fl.StringVar(&e.Key, "key", "", "with --s3: the object `KEY`, as uploaded (it is URL-encoded as S3 does)")
	fl.StringVar(&e.SNSTopic, "sns-topic", "", "trace an SNS message on this topic `NAME` or ARN, with --attr")
	fl.StringArrayVar(&e.Attrs, "attr", nil, "with --sns-topic: a message attribute `NAME=VALUE` (a number is Number, a JSON array String.Array; repeatable)")
	fl.StringVar(&e.Message, "message", "", "with --sns-topic: the message `BODY` (for MessageBody filter policies)")
	fl.StringVar(&e.Source, "eventbridge-source", "", "trace an EventBridge event with this `SOURCE` and --detail-type")
	fl.StringVar(&e.DetailType, "detail-type", "", "with --eventbridge-source: the event's detail-type `TYPE`")
	fl.StringVar(&e.Detail, "detail", "", "with --eventbridge-source: the event's detail as `JSON`")
	fl.StringVar(&e.bus, "event-bus", "default", "the EventBridge bus `NAME` the event is put on")
}

// given reports whether any event option was used.
func (e *eventFlags) given() bool {
	return e.file != "" || e.S3Event != "" || e.SNSTopic != "" || e.Source != "" || e.DetailType != "" ||
		e.Bucket != "" || e.Key != "" || len(e.Attrs) > 0 || e.Detail != "" || e.Message != ""
}

// maxEventFile bounds an event document read from a file or stdin.
const maxEventFile = 1 << 20

func (e *eventFlags) read(cmd *cobra.Command, inv *inventory.Inventory) (eventtrace.Batch, error) {
	shorthand := e.S3Event != "" || e.SNSTopic != "" || e.Source != "" || e.DetailType != ""
	if e.file != "" && shorthand {
		return eventtrace.Batch{}, fmt.Errorf("--event and the shorthand flags (--s3, --sns-topic, --eventbridge-source) exclude each other")
	}
	if e.file == "" {
		if !shorthand {
			return eventtrace.Batch{}, fmt.Errorf("--bucket, --key, --attr, --message and --detail go with --s3, --sns-topic or --eventbridge-source")
		}
		e.Shorthand.Bus = e.bus
		ev, err := e.Shorthand.Build(inv.Account, inv.Region)
		return eventtrace.Batch{Events: []eventtrace.Event{ev}, Total: 1}, err
	}
	var r io.Reader
	name := e.file
	if e.file == "-" {
		r, name = cmd.InOrStdin(), "standard input"
	} else {
		f, err := os.Open(e.file)
		if err != nil {
			return eventtrace.Batch{}, fmt.Errorf("--event: %w", err)
		}
		defer f.Close()
		r = f
	}
	doc, err := io.ReadAll(io.LimitReader(r, maxEventFile+1))
	if err != nil {
		return eventtrace.Batch{}, fmt.Errorf("read %s: %w", name, err)
	}
	if len(doc) > maxEventFile {
		return eventtrace.Batch{}, fmt.Errorf("%s: event larger than %d bytes", name, maxEventFile)
	}
	return eventtrace.ParseBatch(name, doc, e.bus)
}

// runEventTrace loads and simulates as simulate does, without the rules,
// and prints the trace of one event instead of the flows and findings.
func runEventTrace(cmd *cobra.Command, f *simulateFlags, opts pipeline.Options) error {
	switch f.format {
	case "table", "json":
	default:
		return &exitError{code: 2, msg: fmt.Sprintf("--format %q: an event trace is table or json", f.format)}
	}
	// The trace reads the flows only: the rules are not run.
	opts.Judge, opts.WhileJudging = nil, nil
	res, err := pipeline.Run(cmd.Context(), opts)
	stderr := cmd.ErrOrStderr()
	if res != nil {
		for _, n := range res.Notes {
			fmt.Fprintln(stderr, "lambdacheck: note:", n)
		}
	}
	if res == nil || res.Inventory == nil || res.Flows == nil {
		if err == nil {
			err = fmt.Errorf("nothing was loaded")
		}
		return inputErr(err)
	}
	loadErrs := report.Diagnostics(stderr, res.Inventory)
	if err != nil {
		return inputErr(err)
	}
	batch, err := f.event.read(cmd, res.Inventory)
	if err != nil {
		return &exitError{code: 2, msg: err.Error()}
	}
	tr := eventtrace.RunBatch(res.Inventory, res.Flows, batch, eventtrace.Options{Depth: f.depth})
	err = writeOutput(cmd, f.output, func(out io.Writer) error {
		bw := bufio.NewWriter(out)
		var err error
		if f.format == "json" {
			err = eventtrace.WriteJSON(bw, tr)
		} else {
			err = eventtrace.WriteTree(bw, tr, clean.Line)
		}
		if ferr := bw.Flush(); err == nil {
			err = ferr
		}
		if err != nil {
			return &exitError{code: 2, msg: fmt.Sprintf("write output: %v", err)}
		}
		return nil
	})
	if err != nil {
		return err
	}
	if loadErrs > 0 {
		return partialInput(loadErrs)
	}
	return nil
}
