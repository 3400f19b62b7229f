package report

import (
	"io"
	"time"

	"github.com/schollz/progressbar/v3"
)

// StageProgress draws the pipeline's stages as a progress bar on standard
// error: a bar where the stage has a measure (paths loaded, functions
// decided), a spinner where it has none (judging). It is drawn only on a
// terminal and never in colour, and it erases itself when a stage ends, so
// what follows on the terminal is as without it.
type StageProgress struct {
	w     io.Writer
	stage string
	bar   *progressbar.ProgressBar
}

var stageNames = map[string]string{
	"load":     "loading",
	"simulate": "simulating functions",
	"judge":    "judging flows",
}

// NewStageProgress returns nil when nothing is to be drawn, so callers can
// pass its Update method only when it is not.
func NewStageProgress(w io.Writer, enabled bool) *StageProgress {
	if !enabled {
		return nil
	}
	return &StageProgress{w: w}
}

// Update is pipeline.Options.Progress.
func (p *StageProgress) Update(stage string, done, total int) {
	if stage != p.stage {
		p.Finish()
		p.stage = stage
		opts := []progressbar.Option{
			progressbar.OptionSetWriter(p.w),
			progressbar.OptionSetDescription(stageNames[stage]),
			progressbar.OptionSetWidth(30),
			progressbar.OptionSetElapsedTime(true),
			progressbar.OptionThrottle(100 * time.Millisecond),
			progressbar.OptionClearOnFinish(),
			progressbar.OptionSetPredictTime(false),
		}
		max := total
		if max <= 0 {
			// A spinner turning on its own: the stage reports nothing
			// until it ends.
			max = -1
			opts = append(opts, progressbar.OptionSpinnerType(14), progressbar.OptionSetSpinnerChangeInterval(150*time.Millisecond))
		} else {
			opts = append(opts, progressbar.OptionShowCount())
		}
		p.bar = progressbar.NewOptions(max, opts...)
		if max < 0 {
			_ = p.bar.Add(1) // the spinner turns once started
		}
	}
	if total > 0 {
		_ = p.bar.Set(done)
	}
}

// Finish erases the bar of the current stage.
func (p *StageProgress) Finish() {
	if p == nil || p.bar == nil {
		return
	}
	_ = p.bar.Finish()
	_ = p.bar.Clear()
	p.bar = nil
}
