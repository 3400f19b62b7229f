package awsapi

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"syscall"

	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/smithy-go"

	"github.com/lambdacheck/lambdacheck/analyzer/inventory"
)

// accessDeniedCodes are the error codes AWS services answer a call the
// caller is not authorized for with.
var accessDeniedCodes = map[string]bool{
	"AccessDenied": true, "AccessDeniedException": true, "UnauthorizedOperation": true,
	"AuthorizationError": true, "AuthorizationErrorException": true, "Forbidden": true,
	"ForbiddenException": true, "UnauthorizedException": true, "AllAccessDisabled": true,
	"AccessDeniedFault": true, "NotAuthorized": true,
}

// regionCodes are the answers of a region that is not enabled for the
// account (opt-in regions): the credentials are not recognized there.
var regionCodes = map[string]bool{
	"UnrecognizedClientException": true, "InvalidClientTokenId": true, "AuthFailure": true,
	"OptInRequired": true,
}

// goneCodes are the answers about an item that no longer exists: in a busy
// account, items are deleted between being listed and being read.
var goneCodes = map[string]bool{
	"ResourceNotFoundException": true, "NotFound": true, "NoSuchBucket": true, "NoSuchEntity": true,
	"AWS.SimpleQueueService.NonExistentQueue": true, "QueueDoesNotExist": true, "NotFoundException": true,
}

func errorCode(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode()
	}
	return ""
}

// httpStatus is the HTTP status of the answer err came from (0 if none).
func httpStatus(err error) int {
	var re *awshttp.ResponseError
	if errors.As(err, &re) {
		return re.HTTPStatusCode()
	}
	return 0
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

// isAccessDenied recognizes a refusal in every protocol's error shape:
// JSON (__type or X-Amzn-ErrorType), query and REST XML (<Code>), and an
// answer whose body could not be read as the protocol's (an XML body on a
// JSON service, an empty 403 body): a 403 that is no region problem.
func isAccessDenied(err error) bool {
	code := errorCode(err)
	if accessDeniedCodes[code] {
		return true
	}
	if regionCodes[code] || code == "ExpiredToken" || code == "ExpiredTokenException" || code == "SignatureDoesNotMatch" {
		return false
	}
	return httpStatus(err) == 403
}

const maxMessage = 300

func errorMessage(err error) string {
	msg := err.Error()
	var ae smithy.APIError
	if errors.As(err, &ae) && ae.ErrorMessage() != "" {
		msg = ae.ErrorMessage()
	}
	if len(msg) > maxMessage {
		msg = msg[:maxMessage] + "…"
	}
	return msg
}

// failureCode names an error without an API error code (a connection or
// timeout problem, an answer that could not be read).
func failureCode(err error) string {
	if c := errorCode(err); c != "" {
		return c
	}
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		return "Timeout"
	case errors.Is(err, syscall.ECONNREFUSED):
		return "ConnectionRefused"
	}
	var ne net.Error
	if errors.As(err, &ne) {
		return "NetworkError"
	}
	if s := httpStatus(err); s != 0 {
		return fmt.Sprintf("HTTP%d", s)
	}
	return "RequestError"
}

// call describes one API call for warnings and errors.
type call struct {
	account, region, service, op, resource string
}

// isFatal reports the errors that end the whole collection: cancellation
// (Ctrl-C; nothing partial is written) and the read-only guard refusing a
// call (a bug, never to be papered over).
func isFatal(err error) bool {
	var ro *ReadOnlyError
	return errors.Is(err, context.Canceled) || errors.As(err, &ro)
}

// check sorts the outcome of a call. nil: ok. Otherwise the call is
// recorded (a warning, and a gap in the unit's coverage) and notRead is
// true: the caller marks what the call would have filled as unknown, with
// p.reason(c), and goes on. Only cancellation and the read-only guard are
// returned as fatal.
func (p *part) check(c call, err error) (notRead bool, fatal error) {
	if err == nil {
		return false, nil
	}
	if isFatal(err) {
		where := c.resource
		if where == "" {
			where = c.region
		}
		return false, fmt.Errorf("%s %s (%s): %w", c.service, c.op, where, err)
	}
	code := errorCode(err)
	w := inventory.Warning{Account: c.account, Region: c.region, Service: c.service, Operation: c.op,
		Resource: c.resource, Code: code, Message: errorMessage(err)}
	var reason string
	switch {
	case regionCodes[code]:
		w.Kind = inventory.WarningRegion
		w.Message = "the region is not enabled for this account (or the credentials are not valid there): " + w.Message
		reason = "the region " + c.region + " is not enabled for the account"
	case isAccessDenied(err):
		w.Kind = inventory.WarningDenied
		w.Permission = permissionFor(c.service, c.op)
		if w.Code == "" {
			w.Code = fmt.Sprintf("HTTP%d", httpStatus(err))
		}
		reason = deniedText(c)
	case goneCodes[code] && c.resource != "":
		w.Kind = inventory.WarningGone
		w.Message = "deleted while the account was read; left out: " + w.Message
		reason = c.resource + " was deleted while the account was read"
	default:
		w.Kind = inventory.WarningFailed
		w.Code = failureCode(err)
		reason = fmt.Sprintf("%s %s failed: %s: %s", c.service, c.op, w.Code, w.Message)
	}
	p.record(c, w, reason)
	return true, nil
}

// deniedText is the reason for an item a denied call left open: the
// missing action, which is what to grant.
func deniedText(c call) string {
	if perm := permissionFor(c.service, c.op); perm != "" {
		return perm + " denied"
	}
	return c.service + " " + c.op + " denied"
}

// record keeps a warning, its reason for the items it leaves unknown, and
// the gap in the unit's coverage.
func (p *part) record(c call, w inventory.Warning, reason string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.warnings = append(p.warnings, w)
	if p.reasons == nil {
		p.reasons = map[call]string{}
	}
	p.reasons[c] = reason
	switch w.Kind {
	case inventory.WarningGone:
		if p.gone == nil {
			p.gone = map[string]bool{}
		}
		p.gone[c.resource] = true
		p.goneCount++
		return
	case inventory.WarningInvalid:
		p.invalidCount++
		return
	case inventory.WarningRegion:
		p.regionDisabled = true
	}
	listing := c.resource == ""
	key := gapKey{w.Kind, c.op, w.Code, listing}
	if p.gaps == nil {
		p.gaps = map[gapKey]*inventory.Gap{}
	}
	if g := p.gaps[key]; g != nil {
		g.Count++
		return
	}
	p.gaps[key] = &inventory.Gap{Operation: c.service + " " + c.op, Action: w.Permission, Code: w.Code, Message: w.Message, Count: 1, Listing: listing}
}

type gapKey struct {
	kind, op, code string
	listing        bool
}

// reason is the Unknown reason for what call c left open.
func (p *part) reason(c call) string {
	p.mu.Lock()
	defer p.mu.Unlock()
	if r, ok := p.reasons[c]; ok {
		return r
	}
	return deniedText(c)
}

// invalid records a value an API returned that is empty or malformed; the
// caller treats it as unknown.
func (p *part) invalid(c call, msg string) {
	p.record(c, inventory.Warning{Kind: inventory.WarningInvalid, Account: c.account, Region: c.region, Service: c.service,
		Operation: c.op, Resource: c.resource, Message: msg}, msg)
}

// badValue describes an empty or malformed value for a warning (bounded,
// as the value comes from the API).
func badValue(field, value, want string) string {
	if value == "" {
		return field + " is empty"
	}
	if len(value) > 120 {
		value = value[:120] + "…"
	}
	return fmt.Sprintf("%s %q is not %s", field, value, want)
}

// validARN checks an ARN an API returned (of the service named, when
// service is not empty) and records a warning when it is not one.
func (p *part) validARN(c call, field, arn, service string) bool {
	_, svc, _, _, res, ok := arnParts(arn)
	if ok && res != "" && (service == "" || svc == service) && !strings.ContainsAny(arn, " \t\n") {
		return true
	}
	want := "an ARN"
	if service != "" {
		want = "a " + service + " ARN"
	}
	p.invalid(c, badValue(field, arn, want))
	return false
}

// isGone reports whether check found call c's item deleted.
func (p *part) isGone(c call) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return c.resource != "" && p.gone[c.resource]
}

func hasUnknownField(us []inventory.Unknown, field string) bool {
	for _, u := range us {
		if u.Field == field {
			return true
		}
	}
	return false
}
