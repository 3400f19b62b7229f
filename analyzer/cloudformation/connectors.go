package cloudformation

func (t *template) embeddedConnectors(r *resource) {}
