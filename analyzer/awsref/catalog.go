// Package awsref is AWS reference data: every AWS service prefix, action,
// access level, resource type (with its ARN template) and condition key
// from the AWS Service Authorization Reference, plus the documents of the
// AWS managed policies. It sits beside the IAM engine (analyzer/iam), which
// does not use it: the sources resolve managed policy ARNs with it, and the
// simulator expands action wildcards, tells which resource type a concrete
// ARN is and which actions apply to it, and groups access by level.
//
// The data is generated from ../shared/data by `go generate` (see
// internal/gen) into compact blobs under data/ that are embedded, so builds
// need nothing outside the module. Default decodes the action index once,
// reading the blob in place; each service's action details, the condition
// key and ARN indexes, and the managed policies are decoded on first use.
// Everything returned shares the catalog's immutable storage: callers must
// not modify returned slices (methods documented as returning new slices
// excepted).
package awsref

//go:generate go run ./internal/gen -data ../../../shared/data -out data

import (
	_ "embed"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/lambdacheck/lambdacheck/analyzer/awsref/internal/format"
	"github.com/lambdacheck/lambdacheck/analyzer/iam/pattern"
)

// AccessLevel is an action's access level in the Service Authorization
// Reference.
type AccessLevel string

// The five access levels.
const (
	List                  AccessLevel = "List"
	Read                  AccessLevel = "Read"
	Write                 AccessLevel = "Write"
	PermissionsManagement AccessLevel = "Permissions management"
	Tagging               AccessLevel = "Tagging"
)

// Action is one IAM action.
type Action struct {
	Service string // service prefix, "s3"
	Name    string // canonical name, "GetObject"
	// Level is the action's access level. Where the reference lists two
	// ("Tagging, Write"), Level is the specific one and Levels holds both.
	Level  AccessLevel
	Levels []AccessLevel
	// Resources are the resource types the action accepts, in the
	// reference's order. Empty means the action supports only Resource "*".
	Resources        []ActionResource
	ConditionKeys    []string
	DependentActions []string

	full string // "s3:GetObject", kept so FullName does not allocate
}

// FullName returns "service:Name", e.g. "s3:GetObject".
func (a Action) FullName() string {
	if a.full != "" {
		return a.full
	}
	return a.Service + ":" + a.Name
}

// ActionResource is a resource type an action accepts. Where an action
// accepts either of two types (S3 object or access point object) neither is
// marked Required.
type ActionResource struct {
	Type             string
	Required         bool
	ConditionKeys    []string
	DependentActions []string
}

// ResourceType is a service's resource type and its ARN template, such as
// s3 "object" = "arn:${Partition}:s3:::${BucketName}/${ObjectName}".
type ResourceType struct {
	Service       string
	Name          string
	ARN           string
	ConditionKeys []string
}

// Service describes one service prefix. The maps and slices are fresh copies.
type Service struct {
	Prefix        string
	Name          string // "Amazon S3"
	RCPSupported  bool   // resource control policies apply to the service
	Actions       []string
	ResourceTypes map[string]string // type → ARN template
	ConditionKeys map[string]string // key name → type
}

// ConditionKey is a global or service condition key.
type ConditionKey struct {
	// Name is the catalog's spelling. For keys with a variable part it is
	// the template, e.g. "aws:RequestTag/${TagKey}" or, for global keys,
	// "aws:RequestTag/tag-key".
	Name string
	// Type is "String", "ArrayOfString", "ARN", "ArrayOfARN", "Bool",
	// "ArrayOfBool", "Date", "Numeric" or "IPAddress".
	Type     string
	Global   bool
	Category string // global keys: principal, session, network, resource, request
	Service  string // service keys: the first service (by prefix) declaring it
}

// Catalog is the decoded, immutable catalog. It is safe for concurrent use.
type Catalog struct {
	source   string
	tab      format.Table
	services []service // ordered by prefix+":" so actions are in full-name order
	svcIndex foldIndex // over prefixes, parallel to services
	prefixes []string  // sorted plainly, for Services
	names    []string  // full action names, sorted
	svcOf    []uint16  // names index → services index
	actIndex foldIndex
	globals  []ConditionKey

	keyIndex func() *keyIndex
	arns     func() *arnIndex
	policies func() *policySet
}

type service struct {
	prefix, name string
	rcp          bool
	first, end   int // range in Catalog.names
	types        []ResourceType
	keys         []ConditionKey
	detail       string // undecoded per-action details

	once    sync.Once
	actions []Action // parallel to names[first:end], once decoded
	err     error
}

//go:embed data/actions.bin
var actionsBlob string

//go:embed data/policies.bin
var policiesBlob string

// Default returns the catalog decoded from the embedded data. The first call
// decodes its index (a few milliseconds); later calls return the same catalog.
func Default() *Catalog { return defaultCatalog() }

var defaultCatalog = sync.OnceValue(func() *Catalog {
	c, err := load(actionsBlob, policiesBlob)
	if err != nil {
		// The blobs are generated and checked by this package's tests, so
		// only a broken build can reach this.
		panic(fmt.Sprintf("catalog: embedded data: %v", err))
	}
	return c
})

// Source describes where the catalog's data came from.
func (c *Catalog) Source() string { return c.source }

// Action looks up an action by its full name ("s3:getobject"), ignoring case.
func (c *Catalog) Action(name string) (Action, bool) {
	i := c.actIndex.find(name)
	if i < 0 {
		return Action{}, false
	}
	s := &c.services[c.svcOf[i]]
	return c.actionsOf(s)[i-s.first], true
}

// Actions returns every action, sorted by full name, in a new slice. It
// decodes the whole catalog; prefer Action, Expand or ServiceActions.
func (c *Catalog) Actions() []Action {
	out := make([]Action, 0, len(c.names))
	for i := range c.services {
		out = append(out, c.actionsOf(&c.services[i])...)
	}
	return out
}

// ActionNames returns every action's full name, sorted.
func (c *Catalog) ActionNames() []string { return slices.Clone(c.names) }

// Expand returns the full names of the actions an IAM action pattern matches,
// sorted. Matching ignores case; '*' matches any run and '?' one character,
// across the whole "service:action" string as IAM does.
func (c *Catalog) Expand(pat string) []string {
	if pat == "*" {
		return slices.Clone(c.names)
	}
	lo, hi := 0, len(c.names)
	if colon := strings.IndexByte(pat, ':'); colon >= 0 && !strings.ContainsAny(pat[:colon], "*?") {
		// A literal service part narrows the scan to one service.
		si := c.svcIndex.find(pat[:colon])
		if si < 0 {
			return nil
		}
		lo, hi = c.services[si].first, c.services[si].end
		if !strings.ContainsAny(pat[colon+1:], "*?") {
			if i := c.actIndex.find(pat); i >= 0 {
				return []string{c.names[i]}
			}
			return nil
		}
	}
	var out []string
	for _, n := range c.names[lo:hi] {
		if pattern.MatchFold(pat, n) {
			out = append(out, n)
		}
	}
	return out
}

// Services returns all service prefixes, sorted.
func (c *Catalog) Services() []string { return slices.Clone(c.prefixes) }

func (c *Catalog) service(prefix string) (*service, bool) {
	i := c.svcIndex.find(prefix)
	if i < 0 {
		return nil, false
	}
	return &c.services[i], true
}

// Service describes a service prefix, ignoring case.
func (c *Catalog) Service(prefix string) (Service, bool) {
	s, ok := c.service(prefix)
	if !ok {
		return Service{}, false
	}
	out := Service{
		Prefix:        s.prefix,
		Name:          s.name,
		RCPSupported:  s.rcp,
		Actions:       make([]string, 0, s.end-s.first),
		ResourceTypes: make(map[string]string, len(s.types)),
		ConditionKeys: make(map[string]string, len(s.keys)),
	}
	for _, n := range c.names[s.first:s.end] {
		out.Actions = append(out.Actions, n[len(s.prefix)+1:])
	}
	for _, t := range s.types {
		out.ResourceTypes[t.Name] = t.ARN
	}
	for _, k := range s.keys {
		out.ConditionKeys[k.Name] = k.Type
	}
	return out, true
}

// ServiceActions returns a service's actions sorted by name, in a new slice.
func (c *Catalog) ServiceActions(prefix string) []Action {
	s, ok := c.service(prefix)
	if !ok {
		return nil
	}
	return slices.Clone(c.actionsOf(s))
}

// ResourceTypes returns a service's resource types sorted by name.
func (c *Catalog) ResourceTypes(prefix string) []ResourceType {
	s, ok := c.service(prefix)
	if !ok {
		return nil
	}
	return slices.Clip(s.types)
}

// ResourceType looks up one resource type of a service, ignoring case.
func (c *Catalog) ResourceType(prefix, typ string) (ResourceType, bool) {
	s, ok := c.service(prefix)
	if !ok {
		return ResourceType{}, false
	}
	for _, t := range s.types {
		if equalFold(t.Name, typ) {
			return t, true
		}
	}
	return ResourceType{}, false
}

// ActionsFor returns the actions of a service that accept the resource type
// (ignoring case), sorted by name.
func (c *Catalog) ActionsFor(prefix, resourceType string) []Action {
	s, ok := c.service(prefix)
	if !ok {
		return nil
	}
	var out []Action
	for _, a := range c.actionsOf(s) {
		for _, r := range a.Resources {
			if equalFold(r.Type, resourceType) {
				out = append(out, a)
				break
			}
		}
	}
	return out
}
