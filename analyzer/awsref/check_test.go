package awsref

import "fmt"

// Integrity checks of the embedded data, used by the tests only.

// checkAll decodes every service's details, reporting the first error.
func (c *Catalog) checkAll() error {
	for i := range c.services {
		s := &c.services[i]
		if _, err := c.decodeDetail(s); err != nil {
			return fmt.Errorf("service %s: %w", s.prefix, err)
		}
	}
	return nil
}

// checkAll inflates every chunk, reporting the first error.
func (p *policySet) checkAll() error {
	for i := range p.chunks {
		if _, err := p.chunk(i); err != nil {
			return fmt.Errorf("chunk %d: %w", i, err)
		}
	}
	return nil
}
