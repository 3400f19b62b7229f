package simulator

import (
	"context"
	"testing"
	"time"

	"github.com/lambdacheck/lambdacheck/analyzer/iam/catalog"
	"github.com/lambdacheck/lambdacheck/analyzer/terraform"
)

func TestZZPhases(t *testing.T) {
	inv, err := terraform.Load(context.Background(), "/tmp/estate", terraform.Options{Catalog: catalog.Default()})
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 2; i++ {
		t0 := time.Now()
		w := newWorld(inv, catalog.Default(), Options{MaxDepth: 4})
		t1 := time.Now()
		fl := w.invokeFlows()
		t2 := time.Now()
		fl = append(fl, w.accessFlows()...)
		t3 := time.Now()
		fl = append(fl, w.reachFlows()...)
		t4 := time.Now()
		fl = append(fl, w.chainFlows(fl, 4)...)
		t5 := time.Now()
		t.Log("world", t1.Sub(t0), "invoke", t2.Sub(t1), "access", t3.Sub(t2), "reach", t4.Sub(t3), "chain", t5.Sub(t4))
		t0 = time.Now()
		Simulate(context.Background(), inv, Options{})
		t.Log("whole", time.Since(t0))
	}
}
