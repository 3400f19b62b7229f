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
		rows = append(rows, []string{x.Region, x.Service + " " + x.Operation, x.Permission, x.Resource, x.Message})
	}
	return Table(w, []string{"REGION", "CALL", "MISSING PERMISSION", "RESOURCE", "MESSAGE"}, rows)
}

// Progress shows one bar per region on a terminal (services done, and the
// item count of the service reading the most), redrawn at most ten times a
// second; elsewhere one line per finished region.
type Progress struct {
	mu      sync.Mutex
	w       io.Writer
	tty     bool
	order   []string
	regions map[string]*regionProgress
	drawn   int
	last    time.Time
}

type regionProgress struct {
	services []string
	done     map[string]bool
	items    map[string][2]int
}

// NewProgress draws on w, as bars when tty.
func NewProgress(w io.Writer, tty bool) *Progress {
	return &Progress{w: w, tty: tty, regions: map[string]*regionProgress{}}
}

func (p *Progress) Plan(region string, services []string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if _, ok := p.regions[region]; !ok {
		p.order = append(p.order, region)
	}
	p.regions[region] = &regionProgress{services: services, done: map[string]bool{}, items: map[string][2]int{}}
	p.draw(false)
}

func (p *Progress) Update(region, service string, done, total int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if r := p.regions[region]; r != nil {
		r.items[service] = [2]int{done, total}
	}
	p.draw(false)
}

func (p *Progress) Finish(region, service string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	r := p.regions[region]
	if r == nil {
		return
	}
	r.done[service] = true
	if !p.tty && len(r.done) == len(r.services) {
		fmt.Fprintf(p.w, "collect: %s: %d service(s) read\n", region, len(r.services))
	}
	p.draw(false)
}

// Stop draws the final state.
func (p *Progress) Stop() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.draw(true)
	p.drawn = 0
}

func (p *Progress) draw(force bool) {
	if !p.tty || (!force && time.Since(p.last) < 100*time.Millisecond) {
		return
	}
	p.last = time.Now()
	if p.drawn > 0 {
		fmt.Fprintf(p.w, "\x1b[%dA", p.drawn)
	}
	for _, name := range p.order {
		r := p.regions[name]
		const width = 20
		n := len(r.done) * width / max(len(r.services), 1)
		bar := strings.Repeat("█", n) + strings.Repeat("░", width-n)
		busy := ""
		for _, s := range r.services {
			if it, ok := r.items[s]; ok && !r.done[s] && it[0] > 0 {
				busy = fmt.Sprintf("  %s %d", s, it[0])
				if it[1] > 0 {
					busy += "/" + strconv.Itoa(it[1])
				}
				break
			}
		}
		fmt.Fprintf(p.w, "\x1b[2K%-15s %s %2d/%-2d%s\n", name, bar, len(r.done), len(r.services), busy)
	}
	p.drawn = len(p.order)
}
