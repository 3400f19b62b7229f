package main

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/lambdacheck/lambdacheck/analyzer/pipeline"
	"github.com/lambdacheck/lambdacheck/analyzer/report"
	"github.com/lambdacheck/lambdacheck/analyzer/report/clean"
	"github.com/lambdacheck/lambdacheck/simulator/eventtrace"
)

func registerEventFlags(fl *pflag.FlagSet, e *eventtrace.Input) {
	fl.StringVar(&e.File, "event", "", "trace one concrete event from `FILE` (\"-\": standard input): what it triggers, what each invoked function can reach, what follows")
	fl.StringVar(&e.S3Event, "s3", "", "trace an S3 event of this `TYPE` (ObjectCreated:Put …) with --bucket and --key")
	fl.StringVar(&e.Bucket, "bucket", "", "with --s3: the bucket `NAME`")
	fl.StringVar(&e.Key, "key", "", "with --s3: the object `KEY`, as uploaded (it is URL-encoded as S3 does)")
	fl.StringVar(&e.SNSTopic, "sns-topic", "", "trace an SNS message on this topic `NAME` or ARN, with --attr")
	fl.StringArrayVar(&e.Attrs, "attr", nil, "with --sns-topic: a message attribute `NAME=VALUE` (a number is Number, a JSON array String.Array; repeatable)")
	fl.StringVar(&e.Message, "message", "", "with --sns-topic: the message `BODY` (for MessageBody filter policies)")
	fl.StringVar(&e.Source, "eventbridge-source", "", "trace an EventBridge event with this `SOURCE` and --detail-type")
	fl.StringVar(&e.DetailType, "detail-type", "", "with --eventbridge-source: the event's detail-type `TYPE`")
	fl.StringVar(&e.Detail, "detail", "", "with --eventbridge-source: the event's detail as `JSON`")
	fl.StringVar(&e.Bus, "event-bus", "default", "the EventBridge bus `NAME` the event is put on")
}

// runEventTrace loads and simulates as simulate does, without the rules,
// and prints the trace of one event instead of the flows and findings.
func runEventTrace(cmd *cobra.Command, f *simulateFlags, opts pipeline.Options) error {
	if f.format != "table" && f.format != "json" {
		return fmt.Errorf("--format %q: an event trace is table or json", f.format)
	}
	// The trace reads the flows only: the rules are not run.
	opts.Judge, opts.WhileJudging = nil, nil
	res, err := pipeline.Run(cmd.Context(), opts)
	if res != nil && res.Inventory != nil && res.Flows == nil && err != nil {
		return err
	}
	loadErrs, err := shown(cmd, res, err, false)
	if err != nil {
		return err
	}
	batch, err := f.event.Read(cmd.InOrStdin(), res.Inventory.Account, res.Inventory.Region)
	if err != nil {
		return err
	}
	tr := eventtrace.RunBatch(res.Inventory, res.Flows, batch, eventtrace.Options{Depth: f.depth})
	err = report.Output(cmd.OutOrStdout(), f.output, func(out io.Writer) error {
		write := eventtrace.WriteJSON
		if f.format != "json" {
			write = func(w io.Writer, t *eventtrace.Trace) error { return eventtrace.WriteTree(w, t, clean.Line) }
		}
		if err := write(out, tr); err != nil {
			return fmt.Errorf("write output: %v", err)
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
