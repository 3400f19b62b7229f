// Package statemachine reads Amazon States Language definitions for what
// matters to a flow: the Lambda functions a state machine invokes.
//
// Pipeline place: used by the sources (analyzer/terraform,
// analyzer/awsapi) while they read a state machine into the inventory, so
// both find the same tasks.
package statemachine

import (
	"slices"
	"strings"
)

// LambdaTasks are the functions a decoded definition invokes, sorted and
// distinct: Task states with the lambda:invoke integration (Parameters or
// Arguments FunctionName, or FunctionName.$, the path that picks it at run
// time) or a function ARN as Resource, in nested Parallel branches and Map
// iterators too.
func LambdaTasks(def any) []string {
	var found []string
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			if typ, _ := x["Type"].(string); typ == "Task" {
				res, _ := x["Resource"].(string)
				switch {
				case strings.Contains(res, ":states:::lambda:invoke"):
					for _, key := range []string{"Parameters", "Arguments"} {
						params, _ := x[key].(map[string]any)
						if fn, ok := params["FunctionName"].(string); ok {
							found = append(found, fn)
						} else if fn, ok := params["FunctionName.$"].(string); ok {
							found = append(found, fn)
						}
					}
				case strings.Contains(res, ":lambda:") && strings.Contains(res, ":function:"):
					found = append(found, res)
				}
			}
			for _, v := range x {
				walk(v)
			}
		case []any:
			for _, e := range x {
				walk(e)
			}
		}
	}
	walk(def)
	slices.Sort(found)
	return slices.Compact(found)
}
