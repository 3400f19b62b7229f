package awsapi

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/rds"
	"github.com/aws/aws-sdk-go-v2/service/rds/types"

	"github.com/lambdacheck/lambdacheck/analyzer/inventory"
)

// collectRDS reads a region's Aurora clusters and the roles associated
// with them for the Lambda feature: the cluster invokes functions with
// that role, and which function is chosen in SQL, so the trigger names the
// role and leaves the target unknown.
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
	return nil
}

func addCluster(c *collector, region string, p *part, k call, cluster types.DBCluster) {
	arn := aws.ToString(cluster.DBClusterArn)
	if !p.validARN(k, "DBClusterArn", arn, "rds") {
		return
	}
	r := inventory.Resource{Origin: inventory.Origin{Address: arn}, Type: "AWS::RDS::DBCluster", Service: "rds",
		Name: aws.ToString(cluster.DBClusterIdentifier), ARN: arn, Account: nonEmpty(accountOf(arn), c.account), Region: region}
	setAttr(&r, "engine", aws.ToString(cluster.Engine))
	p.addResource(r)
	for _, ar := range cluster.AssociatedRoles {
		if aws.ToString(ar.FeatureName) != "Lambda" {
			continue
		}
		role := aws.ToString(ar.RoleArn)
		if !p.validARN(k, "AssociatedRoles.RoleArn", role, "iam") {
			continue
		}
		p.addTrigger(inventory.Trigger{Origin: inventory.Origin{Address: arn + "#role/" + role}, Kind: "push", Service: "rds",
			SourceARN: arn, SourceAddress: arn, InvokeRole: role, Enabled: aws.ToString(ar.Status) == "ACTIVE",
			Unknown: []inventory.Unknown{{Field: "target", Reason: "Aurora may invoke any function its role allows; the function is chosen in SQL"}}})
	}
}
