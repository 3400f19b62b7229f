package awsapi

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/rds"
	"github.com/aws/aws-sdk-go-v2/service/rds/types"

	"github.com/lambdacheck/lambdacheck/analyzer/inventory"
)

// collectRDS reads a region's Aurora clusters and DB instances and the
// roles associated with them for the Lambda feature: the database invokes
// functions with that role, and which function is chosen in SQL, so the
// trigger names the role and leaves the target unknown.
func collectRDS(ctx context.Context, c *collector, region string, p *part) error {
	cl := rds.NewFromConfig(c.cfg, func(o *rds.Options) { o.Region = region })
	pg := rds.NewDescribeDBClustersPaginator(cl, &rds.DescribeDBClustersInput{})
	k := call{c.account, region, "RDS", "DescribeDBClusters", ""}
	for pg.HasMorePages() {
		page, err := pg.NextPage(ctx)
		denied, fatal := p.check(k, err)
		if fatal != nil {
			return fatal
		}
		if denied {
			break
		}
		for _, cluster := range page.DBClusters {
			addCluster(c, region, p, k, cluster)
		}
	}
	ip := rds.NewDescribeDBInstancesPaginator(cl, &rds.DescribeDBInstancesInput{})
	ik := call{c.account, region, "RDS", "DescribeDBInstances", ""}
	for ip.HasMorePages() {
		page, err := ip.NextPage(ctx)
		denied, fatal := p.check(ik, err)
		if fatal != nil {
			return fatal
		}
		if denied {
			break
		}
		for _, db := range page.DBInstances {
			arn := aws.ToString(db.DBInstanceArn)
			if db.DBClusterIdentifier != nil || !p.validARN(ik, "DBInstanceArn", arn, "rds") {
				continue // an Aurora member invokes through its cluster's roles
			}
			var roles []lambdaRole
			for _, ar := range db.AssociatedRoles {
				roles = append(roles, lambdaRole{aws.ToString(ar.FeatureName), aws.ToString(ar.RoleArn), aws.ToString(ar.Status)})
			}
			addDatabase(c, region, p, ik, "AWS::RDS::DBInstance", arn, aws.ToString(db.DBInstanceIdentifier), aws.ToString(db.Engine), roles,
				"the DB instance may invoke any function its role allows; the function is chosen in SQL")
		}
	}
	return nil
}

type lambdaRole struct{ feature, arn, status string }

func addCluster(c *collector, region string, p *part, k call, cluster types.DBCluster) {
	arn := aws.ToString(cluster.DBClusterArn)
	if !p.validARN(k, "DBClusterArn", arn, "rds") {
		return
	}
	var roles []lambdaRole
	for _, ar := range cluster.AssociatedRoles {
		roles = append(roles, lambdaRole{aws.ToString(ar.FeatureName), aws.ToString(ar.RoleArn), aws.ToString(ar.Status)})
	}
	addDatabase(c, region, p, k, "AWS::RDS::DBCluster", arn, aws.ToString(cluster.DBClusterIdentifier), aws.ToString(cluster.Engine), roles,
		"Aurora may invoke any function its role allows; the function is chosen in SQL")
}

// addDatabase adds a cluster or instance and a trigger per role associated
// for the Lambda feature.
func addDatabase(c *collector, region string, p *part, k call, typ, arn, name, engine string, roles []lambdaRole, why string) {
	r := inventory.Resource{Origin: inventory.Origin{Address: arn}, Type: typ, Service: "rds",
		Name: name, ARN: arn, Account: nonEmpty(accountOf(arn), c.account), Region: region}
	setAttr(&r, "engine", engine)
	p.addResource(r)
	for _, ar := range roles {
		if ar.feature != "Lambda" {
			continue
		}
		if !p.validARN(k, "AssociatedRoles.RoleArn", ar.arn, "iam") {
			continue
		}
		p.addTrigger(inventory.Trigger{Origin: inventory.Origin{Address: arn + "#role/" + ar.arn}, Kind: "push", Service: "rds",
			SourceARN: arn, SourceAddress: arn, InvokeRole: ar.arn, Enabled: ar.status == "ACTIVE",
			Unknown: []inventory.Unknown{{Field: "target", Reason: why}}})
	}
}
