package pattern

// Tri is a three-valued truth: static analysis often cannot know a request
// value, and then a match is neither true nor false but Unknown.
type Tri uint8

const (
	False Tri = iota
	True
	Unknown
)

// TriOf converts a bool.
func TriOf(b bool) Tri {
	if b {
		return True
	}
	return False
}

// Not is Kleene negation: Unknown stays Unknown.
func (t Tri) Not() Tri {
	switch t {
	case True:
		return False
	case False:
		return True
	}
	return Unknown
}

// And is Kleene conjunction: False wins, then Unknown.
func (t Tri) And(u Tri) Tri {
	if t == False || u == False {
		return False
	}
	if t == Unknown || u == Unknown {
		return Unknown
	}
	return True
}

// Or is Kleene disjunction: True wins, then Unknown.
func (t Tri) Or(u Tri) Tri {
	if t == True || u == True {
		return True
	}
	if t == Unknown || u == Unknown {
		return Unknown
	}
	return False
}

// MarshalText makes a Tri read "true", "false" or "unknown" in JSON.
func (t Tri) MarshalText() ([]byte, error) { return []byte(t.String()), nil }

func (t Tri) String() string {
	switch t {
	case False:
		return "false"
	case True:
		return "true"
	}
	return "unknown"
}

// KeyState says what a request context knows about a condition key.
type KeyState uint8

const (
	// Missing: the request does not carry the key.
	Missing KeyState = iota
	// Present: the request carries the key with the returned values.
	Present
	// KeyUnknown: static analysis cannot know the value. The key is taken to
	// be present with a value (or values) that could be anything. (It is not
	// named Unknown because the Tri constant has that name.)
	KeyUnknown
)

func (k KeyState) String() string {
	switch k {
	case Missing:
		return "missing"
	case Present:
		return "present"
	}
	return "unknown"
}

// Resolver gives request context values. key is already lower-case.
type Resolver interface {
	Lookup(key string) (values []string, state KeyState)
}

// MultiValued is implemented by resolvers that can tell a multivalued key
// holding a single value apart from a single-valued key. Without it a key
// with exactly one value is taken to be single-valued.
type MultiValued interface {
	IsMulti(key string) bool
}
