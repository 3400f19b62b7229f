package report

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/schollz/progressbar/v3"

	"github.com/lambdacheck/lambdacheck/analyzer/inventory"
)

// CollectSummary prints counts per kind and the warnings with the
// permission each needs.
func CollectSummary(w io.Writer, inv *inventory.Inventory) error {
	fmt.Fprintf(w, "\nAccount %s, partition %s\n", inv.Account, inv.Partition)
	counts := map[string]int{
		"functions": len(inv.Functions), "roles": len(inv.Roles), "customer managed policies": len(inv.Policies),
		"organization policies": len(inv.SCPs),
	}
	for _, r := range inv.Resources {
		counts["resources: "+r.Type]++
	}
	for _, t := range inv.Triggers {
		counts["triggers: "+t.Kind+"/"+t.Service]++
	}
	var rows [][]string
	for _, k := range slices.Sorted(maps.Keys(counts)) {
		rows = append(rows, []string{k, strconv.Itoa(counts[k])})
	}
	if err := Table(w, []string{"KIND", "COUNT"}, rows); err != nil {
		return err
	}
	if len(inv.Warnings) == 0 {
		fmt.Fprintln(w, "No warnings: every call succeeded.")
		return nil
	}
	fmt.Fprintf(w, "\nWarnings (%d): these parts are unknown in the snapshot\n", len(inv.Warnings))
	rows = nil
	for _, x := range inv.Warnings {
		rows = append(rows, []string{x.Kind, x.Region, x.Service + " " + x.Operation, x.Permission, x.Resource, x.Message})
	}
	if err := Table(w, []string{"KIND", "REGION", "CALL", "MISSING PERMISSION", "RESOURCE", "MESSAGE"}, rows); err != nil {
		return err
	}
	return coverageSummary(w, inv)
}

// coverageSummary lists the region/service units not read completely and
// says whether simulate will accept the snapshot.
func coverageSummary(w io.Writer, inv *inventory.Inventory) error {
	var rows [][]string
	units := 0
	for _, cov := range inv.Coverage {
		for _, u := range cov.Units {
			units++
			if u.Status == inventory.CoverageComplete {
				continue
			}
			var denied, failed []string
			for _, g := range u.Denied {
				denied = append(denied, fmt.Sprintf("%s ×%d", g.Action, g.Count))
			}
			for _, g := range u.Failed {
				failed = append(failed, fmt.Sprintf("%s %s ×%d", g.Operation, g.Code, g.Count))
			}
			rows = append(rows, []string{u.Region, u.Service, u.Status, strings.Join(denied, ", "), strings.Join(failed, ", ")})
		}
	}
	if len(rows) == 0 {
		return nil
	}
	fmt.Fprintf(w, "\nCoverage: %d of %d region/service units were not read completely\n", len(rows), units)
	if err := Table(w, []string{"REGION", "SERVICE", "STATUS", "DENIED", "FAILED"}, rows); err != nil {
		return err
	}
	c := inv.Completeness()
	if len(c.Blocking) > 0 {
		fmt.Fprintf(w, "The inventory is incomplete: %s.\nsimulate refuses it (exit 2) unless --allow-incomplete.\n", strings.Join(c.Blocking, "; "))
	} else {
		fmt.Fprintln(w, "The inventory is incomplete: the flows that depend on what was not read are unknown.")
	}
	return nil
}

// CollectQuiet is the whole of collect's report under --quiet: one line on
// the warnings and one on a refusing completeness verdict, nothing when
// every call succeeded.
func CollectQuiet(w io.Writer, inv *inventory.Inventory) {
	if n := len(inv.Warnings); n > 0 {
		fmt.Fprintf(w, "lambdacheck: %d warning(s); see \"warnings\" and \"coverage\" in the snapshot\n", n)
	}
	if c := inv.Completeness(); len(c.Blocking) > 0 {
		fmt.Fprintf(w, "lambdacheck: the inventory is incomplete (%s); simulate refuses it unless --allow-incomplete\n", strings.Join(c.Blocking, "; "))
	}
}

// Progress prints, on a terminal, one line per region and service as it
// finishes: its status, the items read, the calls made and the calls
// denied or failed; below them, a progress bar of the units read, whose
// label names the unit reading most recently (items done of total),
// redrawn at most five times a second. Off a terminal it prints nothing
// (logs and CI keep the summary only). The bar is never coloured.
type Progress struct {
	mu    sync.Mutex
	w     io.Writer
	tty   bool
	total int
	done  int
	bar   *progressbar.ProgressBar
}

// NewProgress draws on w, and only when tty.
func NewProgress(w io.Writer, tty bool) *Progress {
	return &Progress{w: w, tty: tty}
}

// Plan counts the units a region will read.
func (p *Progress) Plan(region string, services []string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.total += len(services)
	if p.bar != nil {
		p.bar.ChangeMax(p.total)
	}
}

// Update relabels the bar with a unit's items done of total.
func (p *Progress) Update(region, service string, done, total int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.tty || done == 0 {
		return
	}
	what := strconv.Itoa(done)
	if total > 0 {
		what += "/" + strconv.Itoa(total)
	}
	p.ensureBar()
	p.bar.Describe(fmt.Sprintf("%s %s: %s items", region, service, what))
}

func (p *Progress) ensureBar() {
	if p.bar != nil {
		return
	}
	p.bar = progressbar.NewOptions(max(p.total, 1),
		progressbar.OptionSetWriter(p.w),
		progressbar.OptionSetWidth(20),
		progressbar.OptionShowCount(),
		progressbar.OptionSetPredictTime(false),
		progressbar.OptionThrottle(200*time.Millisecond),
		progressbar.OptionShowDescriptionAtLineEnd(),
	)
	_ = p.bar.Set(p.done)
}

// Finish prints the line of a unit read above the bar.
func (p *Progress) Finish(u inventory.CoverageUnit) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.done++
	if !p.tty {
		return
	}
	if p.bar != nil {
		_ = p.bar.Clear()
	}
	line := fmt.Sprintf("[%*d/%d] %-15s %-13s %-15s %5d items %6d calls", len(strconv.Itoa(p.total)), p.done, p.total, u.Region, u.Service, u.Status, u.Items, u.Calls)
	if n := gapCount(u.Denied); n > 0 {
		line += fmt.Sprintf("  %d denied", n)
	}
	if n := gapCount(u.Failed); n > 0 {
		line += fmt.Sprintf("  %d failed", n)
	}
	if u.Gone > 0 {
		line += fmt.Sprintf("  %d deleted while read", u.Gone)
	}
	fmt.Fprintln(p.w, line)
	if p.bar != nil {
		_ = p.bar.Set(p.done)
	}
}

// Stop ends the progress output, erasing the bar.
func (p *Progress) Stop() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.bar != nil {
		_ = p.bar.Exit()
		_ = p.bar.Clear()
		p.bar = nil
	}
}

func gapCount(gs []inventory.Gap) int {
	n := 0
	for _, g := range gs {
		n += g.Count
	}
	return n
}
