/**
 * The `hyperpod:` block of app-config.yaml.
 */
export interface Config {
  catalog?: {
    providers?: {
      /** The fleet's clusters as catalog Resource entities (catalogModuleHyperpodClusters). */
      hyperpod?: {
        /** Owner of clusters whose fleet entry names none. Default group:default/platform-team. */
        defaultOwner?: string;
        /** Also emit Group entities for the owners. Default true. */
        groups?: boolean;
        /** Demo or bootstrap users (name, memberOf group refs). */
        users?: Array<{
          name: string;
          displayName?: string;
          email?: string;
          memberOf?: string[];
        }>;
        /** How often to refresh the entities; Backstage's schedule definition. */
        schedule?: {
          frequency: { minutes?: number; seconds?: number; hours?: number } | string;
          timeout: { minutes?: number; seconds?: number; hours?: number } | string;
          initialDelay?: { minutes?: number; seconds?: number; hours?: number } | string;
        };
      };
    };
  };
  hyperpod?: {
    /** The clusters the portal shows; the same shape as the CLI's fleet file (docs/cli.md#fleet-files). */
    fleet?: {
      clusters?: Array<{
        /** EKS cluster name. */
        name: string;
        region: string;
        accountId?: string;
        /** Role to assume for AWS calls about this cluster. */
        roleArn?: string;
        /** Named AWS profile for the base credentials. */
        profile?: string;
        /** kubeconfig context for in-cluster reads, migrations and the upgrade lock. */
        context?: string;
        /** Owner entity ref, e.g. group:default/ml-platform: the cluster's owners pass the ownership rule. */
        owner?: string;
        labels?: { [key: string]: string };
      }>;
      /** Accounts and regions to list clusters in with EKS ListClusters. */
      discover?: Array<{
        accountId?: string;
        roleArn?: string;
        profile?: string;
        regions: string[];
        owner?: string;
      }>;
    };
    /** kubeconfig file for the clusters' contexts; default $KUBECONFIG or ~/.kube/config. */
    kubeconfig?: string;
    aws?: {
      /** Endpoint for every AWS service (the local sandbox); default AWS's own. */
      endpoint?: string;
      /** Milliseconds an AWS or Kubernetes answer may take. Default 30000. */
      requestTimeoutMs?: number;
    };
    scan?: {
      /** How often every replica's shared scheduler scans the fleet. ISO-8601 or human duration, e.g. { minutes: 10 }. */
      frequency?: { minutes?: number; seconds?: number; hours?: number };
      /** Clusters scanned at once (at most 8 per account and region). Default 64. */
      concurrency?: number;
      /** Per-cluster scan timeout in milliseconds. Default 60000. */
      timeoutMs?: number;
      /**
       * EKS requests per second per account and region, fixed. Default: learned from throttling
       * answers and shared between replicas through the Backstage cache (docs/adr/0009).
       */
      rateLimit?: number;
    };
    /** Limits on on-demand scans; a refusal is a 429 with Retry-After. */
    refresh?: {
      /** One on-demand scan of a cluster per this many milliseconds, whoever asks. Default 30000. */
      clusterIntervalMs?: number;
      /** One whole-fleet refresh per caller per this many milliseconds. Default 300000. */
      fleetIntervalMs?: number;
      /** Cluster refreshes one caller may ask for per minute. Default 20. */
      userClusterLimit?: number;
    };
    approval?: {
      /**
       * May the requester approve their own request? Default false. The frontend reads it too,
       * to offer the Approve button only where this backend allows it.
       * @visibility frontend
       */
      allowSelfApproval?: boolean;
    };
    executor?: {
      /** Run approved upgrades on this replica. Default true; false for replicas that only serve the API. */
      enabled?: boolean;
      /** How often each replica looks for approved requests, in milliseconds. Default 10000. */
      pollMs?: number;
      /** Milliseconds between DescribeUpdate/DescribeAddon polls during an upgrade. Default 5000. */
      upgradePollMs?: number;
      /** A running request whose executor has not reported for this long is recovered. Default 120000. */
      staleAfterMs?: number;
      /** How long DEGRADED may last after an update before it is rolled back. Default 120000. */
      degradedGraceMs?: number;
      /** Longest wait for one update to settle. Default 1200000. */
      upgradeTimeoutMs?: number;
    };
  };
}
