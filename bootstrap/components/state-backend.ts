import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { STATE_KEY_ALIAS, stateBucketName, type Account } from "../policies";

export interface StateBackendArgs {
  account: Account;
  tags: Record<string, string>;
}

/** What a self-managed backend writes first when its bucket is empty: the layout version (pulumi/pulumi pkg/backend/diy/meta.go). */
export const BACKEND_META = { key: ".pulumi/meta.yaml", content: "version: 1\n" };

/**
 * Where the program's stacks keep their state and whose key encrypts their secrets: an S3 bucket (versioned,
 * encrypted with the key, no public access, TLS only, owned by the account, old versions expiring) and a KMS
 * key with rotation on and an alias. Both protected and kept on destroy: losing either loses every stack.
 * The bucket holds the backend's layout file from the start, so that a role that only reads (a pull
 * request's preview) can log in before the first deploy wrote anything.
 */
export class StateBackend extends pulumi.ComponentResource {
  readonly bucketName: string;
  readonly keyArn: pulumi.Output<string>;
  readonly keyAlias: string;
  /** `pulumi login <backendUrl>`, and PULUMI_BACKEND_URL. */
  readonly backendUrl: string;
  /** `pulumi stack init <stack> --secrets-provider <secretsProvider>`. */
  readonly secretsProvider: string;

  constructor(name: string, args: StateBackendArgs, opts?: pulumi.ComponentResourceOptions) {
    super("ecs-ec2-api-bootstrap:state:StateBackend", name, {}, opts);
    const { partition, accountId, region } = args.account;
    const kept = { parent: this, protect: true, retainOnDelete: true };
    const key = new aws.kms.Key(`${name}-key`, {
      description: "Encrypts ecs-ec2-api's Pulumi state and its stacks' secrets",
      enableKeyRotation: true,
      deletionWindowInDays: 30,
      // The default key policy, stated: the account administers and uses the key through IAM policies alone.
      policy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Sid: "TheAccountThroughIam", Effect: "Allow", Principal: { AWS: `arn:${partition}:iam::${accountId}:root` }, Action: "kms:*", Resource: "*" }],
      }),
      tags: args.tags,
    }, kept);
    new aws.kms.Alias(`${name}-key`, { name: STATE_KEY_ALIAS, targetKeyId: key.keyId }, { parent: key });

    const bucketName = stateBucketName(args.account);
    const bucket = new aws.s3.Bucket(`${name}-bucket`, { bucket: bucketName, tags: args.tags }, kept);
    const under = { parent: bucket, retainOnDelete: true };
    const publicAccess = new aws.s3.BucketPublicAccessBlock(`${name}-bucket`, {
      bucket: bucket.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true,
    }, under);
    new aws.s3.BucketOwnershipControls(`${name}-bucket`, { bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } }, under);
    new aws.s3.BucketVersioning(`${name}-bucket`, { bucket: bucket.id, versioningConfiguration: { status: "Enabled" } }, under);
    const encryption = new aws.s3.BucketServerSideEncryptionConfiguration(`${name}-bucket`, {
      bucket: bucket.id,
      rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: key.arn }, bucketKeyEnabled: true }],
    }, under);
    // Every checkpoint of an update writes the stack's file again: old versions go after 90 days.
    new aws.s3.BucketLifecycleConfiguration(`${name}-bucket`, {
      bucket: bucket.id,
      rules: [{
        id: "expire-old-state-versions", status: "Enabled", filter: {},
        noncurrentVersionExpiration: { noncurrentDays: 90 },
        abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
      }],
    }, under);
    new aws.s3.BucketPolicy(`${name}-bucket`, {
      bucket: bucket.id,
      policy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [{
          Sid: "DenyInsecureTransport", Effect: "Deny", Principal: "*", Action: "s3:*",
          Resource: [`arn:${partition}:s3:::${bucketName}`, `arn:${partition}:s3:::${bucketName}/*`],
          Condition: { Bool: { "aws:SecureTransport": "false" } },
        }],
      }),
    }, { ...under, dependsOn: [publicAccess] });
    new aws.s3.BucketObjectv2(`${name}-layout`, {
      bucket: bucket.id, key: BACKEND_META.key, content: BACKEND_META.content, contentType: "text/yaml",
    }, { ...under, dependsOn: [encryption] });

    this.bucketName = bucketName;
    this.keyArn = key.arn;
    this.keyAlias = STATE_KEY_ALIAS;
    this.backendUrl = `s3://${bucketName}?region=${region}`;
    this.secretsProvider = `awskms://${STATE_KEY_ALIAS}?region=${region}`;
    this.registerOutputs({ bucketName, keyArn: this.keyArn, backendUrl: this.backendUrl, secretsProvider: this.secretsProvider });
  }
}
