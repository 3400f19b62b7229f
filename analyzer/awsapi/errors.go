package awsapi

import (
	"errors"
	"fmt"

	"github.com/aws/smithy-go"

	"github.com/lambdacheck/lambdacheck/analyzer/inventory"
)

// accessDeniedCodes are the error codes AWS services answer a call the
// caller is not authorized for with.
var accessDeniedCodes = map[string]bool{
	"AccessDenied": true, "AccessDeniedException": true, "UnauthorizedOperation": true,
	"AuthorizationError": true, "AuthorizationErrorException": true, "Forbidden": true,
	"ForbiddenException": true, "UnauthorizedException": true, "AllAccessDisabled": true,
}

// regionCodes are the answers of a region that is not enabled for the
// account (opt-in regions): the credentials are not recognized there.
var regionCodes = map[string]bool{
	"UnrecognizedClientException": true, "InvalidClientTokenId": true, "AuthFailure": true,
	"OptInRequired": true,
}

func errorCode(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode()
	}
	return ""
}

// isCode reports whether err is an API error with one of the codes.
func isCode(err error, codes ...string) bool {
	c := errorCode(err)
	for _, want := range codes {
		if c == want {
			return true
		}
	}
	return false
}

func errorMessage(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) && ae.ErrorMessage() != "" {
		return ae.ErrorMessage()
	}
	return err.Error()
}

// call describes one API call for warnings and errors.
type call struct {
	account, region, service, op, resource string
}

// check sorts the outcome of a call: nil (ok), a permission or region
// problem (recorded as a warning; denied is true and the caller marks what
// the call would have filled as unknown), or any other error (returned,
// with context, to abort the collection).
func (p *part) check(c call, err error) (denied bool, fatal error) {
	if err == nil {
		return false, nil
	}
	code := errorCode(err)
	switch {
	case accessDeniedCodes[code]:
		p.warn(inventory.Warning{Account: c.account, Region: c.region, Service: c.service, Operation: c.op,
			Permission: permissionFor(c.service, c.op), Resource: c.resource, Code: code, Message: errorMessage(err)})
		return true, nil
	case regionCodes[code]:
		p.warn(inventory.Warning{Account: c.account, Region: c.region, Service: c.service, Operation: c.op,
			Resource: c.resource, Code: code, Message: "the region is not enabled for this account (or the credentials are not valid there): " + errorMessage(err)})
		return true, nil
	}
	where := c.resource
	if where == "" {
		where = c.region
	}
	return false, fmt.Errorf("%s %s (%s): %w", c.service, c.op, where, err)
}

// deniedReason is the Unknown reason for an item a denied call left open.
func deniedReason(c call) string {
	if perm := permissionFor(c.service, c.op); perm != "" {
		return fmt.Sprintf("%s %s was denied (needs %s)", c.service, c.op, perm)
	}
	return fmt.Sprintf("%s %s was denied", c.service, c.op)
}
