# syntax=docker/dockerfile:1
# lambdacheck as a container: a static binary on a distroless base that
# holds CA certificates (for --aws) and runs as a non-root user.
#
#   docker build -t lambdacheck .
#   docker run --rm -v "$PWD:/src" lambdacheck simulate /src

FROM golang:1.26 AS build
WORKDIR /go/src/lambdacheck
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=dev
# Static (no cgo), reproducible paths; the build context has no .git, so
# the version comes from the build argument.
RUN CGO_ENABLED=0 go build -trimpath -buildvcs=false \
      -ldflags "-s -w -X main.version=${VERSION}" \
      -o /out/lambdacheck ./cmd/lambdacheck

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/lambdacheck /usr/local/bin/lambdacheck
USER nonroot:nonroot
WORKDIR /src
ENTRYPOINT ["lambdacheck"]
CMD ["--help"]
