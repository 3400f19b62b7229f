package iam

import "strings"

// AWS's built-in rules: requests whose answer no policy can change. Each
// rule names the AWS documentation page it follows.

const (
	reasonCallerIdentity    = "sts:GetCallerIdentity needs no permission and cannot be denied"
	reasonManagedPolicy     = "AWS managed policies (arn:…:iam::aws:policy/…) cannot be changed by anyone"
	reasonReservedRole      = "roles under the aws-reserved/ path are managed by AWS and cannot be changed"
	reasonServiceLinked     = "the policies of a service-linked role are defined by its service and cannot be changed"
	reasonAWSManagedAlias   = "aliases beginning with alias/aws/ are reserved for AWS managed keys"
	reasonVarInARNPrefix    = "a policy variable in the partition, service, region or account field of a Resource ARN: no AWS page documents substitution there, so the match is not relied upon"
	reasonAllowNotPrincipal = "NotPrincipal with Allow is not supported by AWS and grants nothing"
)

// builtin decides the requests that AWS's built-in rules decide, and
// reports whether it did.
func builtin(req *Request) (Result, bool) {
	act := req.Action
	k := req.Principal.Kind
	// STS API reference, GetCallerIdentity: "No permissions are required to
	// perform this operation. If an administrator attaches a policy to your
	// identity that explicitly denies access to the sts:GetCallerIdentity
	// action, you can still perform this operation."
	if equalFold(act, "sts:GetCallerIdentity") {
		switch k {
		case PrincipalUser, PrincipalRoleSession, PrincipalFederatedUser, PrincipalRoot:
			return Result{Decision: Allowed, Reason: reasonCallerIdentity}, true
		}
		return Result{}, false
	}
	svc, name, _ := strings.Cut(act, ":")
	if !equalFold(svc, "iam") && !equalFold(svc, "kms") {
		// Every rule below is about an IAM or KMS action.
		return Result{}, false
	}
	a, ok := parseARN(req.Resource)
	if !ok {
		return Result{}, false
	}
	deny := func(reason string) (Result, bool) {
		return Result{Decision: ImplicitlyDenied, Reason: reason}, true
	}
	switch {
	case a.service == "iam" && a.account == "aws" && strings.HasPrefix(a.resource, "policy/") && equalFold(svc, "iam") && changesIAM(name):
		// "AWS managed policies": "You cannot change the permissions
		// defined in AWS managed policies."
		return deny(reasonManagedPolicy)
	case a.service == "iam" && strings.HasPrefix(a.resource, "role/aws-reserved/") && equalFold(svc, "iam") && changesIAM(name) && !req.Principal.ServiceLinked:
		// IAM Identity Center User Guide, "Permission sets": the roles it
		// creates in member accounts (path aws-reserved/sso.amazonaws.com/)
		// are managed by Identity Center and cannot be edited from IAM; the
		// service changes them through its own service-linked role (AWS
		// managed policy AWSSSOServiceRolePolicy), which this rule spares.
		return deny(reasonReservedRole)
	case a.service == "iam" && strings.HasPrefix(a.resource, "role/aws-service-role/") && equalFold(svc, "iam") && changesRolePolicies(name) && !req.Principal.ServiceLinked:
		// "Create a service-linked role": the service defines the trust and
		// permissions policies, which cannot be edited; deletion goes
		// through iam:DeleteServiceLinkedRole.
		return deny(reasonServiceLinked)
	case a.service == "kms" && strings.HasPrefix(a.resource, "alias/aws/") && equalFold(svc, "kms") && changesAlias(name):
		// AWS KMS Developer Guide, "Aliases in AWS KMS": alias names that
		// begin with alias/aws/ are reserved for AWS managed keys; you
		// cannot create, update or delete them.
		return deny(reasonAWSManagedAlias)
	}
	return Result{}, false
}

// changesIAM: the IAM actions that write (everything but reads, lists,
// simulations and reports), by their documented verb prefixes.
func changesIAM(name string) bool {
	for _, p := range []string{"Get", "List", "Simulate", "Generate"} {
		if len(name) >= len(p) && equalFold(name[:len(p)], p) {
			return false
		}
	}
	return true
}

func changesRolePolicies(name string) bool {
	switch strings.ToLower(name) {
	case "putrolepolicy", "deleterolepolicy", "attachrolepolicy", "detachrolepolicy",
		"updateassumerolepolicy", "putrolepermissionsboundary", "deleterolepermissionsboundary", "deleterole":
		return true
	}
	return false
}

func changesAlias(name string) bool {
	switch strings.ToLower(name) {
	case "createalias", "updatealias", "deletealias":
		return true
	}
	return false
}
