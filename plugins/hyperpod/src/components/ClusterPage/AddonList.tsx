/**
 * Every add-on of a cluster report: health with its reason, EKS health issues and findings with
 * what to do about them, the version against the default and the newest compatible one, how it is
 * installed, configuration drift, and readiness for the next Kubernetes version. Add-ons that
 * need attention open expanded.
 */
import Accordion from '@material-ui/core/Accordion';
import AccordionDetails from '@material-ui/core/AccordionDetails';
import AccordionSummary from '@material-ui/core/AccordionSummary';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import ExpandMoreIcon from '@material-ui/icons/ExpandMore';
import Alert from '@material-ui/lab/Alert';
import { useState, type ReactNode } from 'react';
import type {
  AddonReadiness,
  AddonReport,
  ClusterReport,
  ConfigDrift,
  ExplainedAddonIssue,
  Finding,
} from '@hyperpod/core';
import { blocksClusterUpgrade } from '@hyperpod/core';
import { DriftBadge } from '../common/DriftBadge';
import { HealthChip } from '../common/HealthChip';
import { InstallMethodLabel } from '../common/InstallMethodLabel';
import { needsAttention } from '../common/addonAttention';
import { driftText, readinessText } from './labels';

function Section(props: { title: string; children: ReactNode }) {
  return (
    <Box mt={1.5}>
      <Typography variant="subtitle2" component="h4">
        {props.title}
      </Typography>
      {props.children}
    </Box>
  );
}

function IssueItem({ issue }: { issue: ExplainedAddonIssue }) {
  return (
    <li>
      <Typography variant="body2">
        <strong>{issue.title}</strong> ({issue.code}){issue.message ? `: ${issue.message}` : ''}
      </Typography>
      <Typography variant="body2" color="textSecondary">
        {issue.explanation}
      </Typography>
      <Typography variant="body2">Fix: {issue.fix}</Typography>
      {issue.resourceIds && issue.resourceIds.length > 0 && (
        <Typography variant="body2">Resources: {issue.resourceIds.join(', ')}</Typography>
      )}
      {issue.conflicts && issue.conflicts.length > 0 && (
        <>
          <Typography variant="body2">Fields another manager owns:</Typography>
          <ul>
            {issue.conflicts.map((c) => (
              <li key={`${c.resource}/${c.name}/${c.field}`}>
                <Typography variant="body2" component="span">
                  {c.resource} {c.name}: <code>{c.field}</code>
                </Typography>
              </li>
            ))}
          </ul>
        </>
      )}
    </li>
  );
}

function FindingItem({ finding }: { finding: Finding }) {
  return (
    <li>
      <Box display="flex" alignItems="center" flexWrap="wrap" style={{ gap: 8 }}>
        <HealthChip health={finding.health} />
        <Typography variant="body2" component="span">
          {finding.message}
        </Typography>
      </Box>
      {finding.fix && <Typography variant="body2">Fix: {finding.fix}</Typography>}
    </li>
  );
}

function ConfigDriftText({ drift }: { drift: ConfigDrift }) {
  const parts: [string, string[]][] = [
    ['changed', drift.changed],
    ['missing', drift.missing],
    ['extra', drift.extra],
  ];
  if (parts.every(([, keys]) => keys.length === 0)) {
    return <Typography variant="body2">The configuration matches what was declared.</Typography>;
  }
  return (
    <ul>
      {parts
        .filter(([, keys]) => keys.length > 0)
        .map(([what, keys]) => (
          <li key={what}>
            <Typography variant="body2">
              {what}: {keys.join(', ')}
            </Typography>
          </li>
        ))}
    </ul>
  );
}

function installedVersion(a: AddonReport): string | undefined {
  if (a.addon) return a.addon.version;
  if (a.helm) return `chart ${a.helm.chartVersion}`;
  return undefined;
}

function AddonItem(props: {
  addon: AddonReport;
  kubernetesVersion?: string;
  readiness?: { target: string; verdict?: AddonReadiness };
}) {
  const { addon: a, kubernetesVersion, readiness } = props;
  const version = installedVersion(a);
  const headingId = `hyperpod-addon-${a.name}`;
  const attention =
    needsAttention({ health: a.health, installedVia: a.installedVia, drift: a.drift?.status }) ||
    (a.addon?.issues.length ?? 0) > 0 ||
    (readiness?.verdict !== undefined && blocksClusterUpgrade(readiness.verdict.verdict));
  // Opened at first when it needs attention; the user's choice after that, across reloads.
  const [expanded, setExpanded] = useState(attention);
  return (
    <Accordion expanded={expanded} onChange={(_, open) => setExpanded(open)}>
      <AccordionSummary
        expandIcon={<ExpandMoreIcon />}
        aria-controls={`${headingId}-details`}
        id={headingId}
      >
        <Box display="flex" alignItems="center" flexWrap="wrap" style={{ gap: 12 }}>
          <Typography variant="h6" component="h3">
            {a.name}
          </Typography>
          <HealthChip health={a.health} reason={a.reason} />
          <Typography variant="body2" component="span">
            {a.reason}
          </Typography>
          <Typography variant="body2" component="span" color="textSecondary">
            <InstallMethodLabel method={a.installedVia} />
            {version ? ` · ${version}` : ''}
          </Typography>
          <DriftBadge drift={a.drift?.status} latest={a.drift?.latest} />
        </Box>
      </AccordionSummary>
      <AccordionDetails id={`${headingId}-details`} aria-labelledby={headingId}>
        <Box width="100%">
          <Section title="Version">
            {a.addon && (
              <Typography variant="body2">
                Installed {a.addon.version} (EKS status {a.addon.status})
              </Typography>
            )}
            {a.drift ? (
              <>
                <Typography variant="body2">
                  {a.helm ? `The chart's software matches add-on ${a.drift.installed}: ` : ''}
                  {driftText(a.drift, kubernetesVersion)}.
                </Typography>
                <Typography variant="body2">
                  Default: {a.drift.default ?? 'none'} · Latest compatible:{' '}
                  {a.drift.latest ?? 'none'}
                </Typography>
              </>
            ) : (
              !a.addon && (
                <Typography variant="body2" color="textSecondary">
                  No add-on version to compare.
                </Typography>
              )
            )}
          </Section>
          <Section title="Installed via">
            <Typography variant="body2">
              <InstallMethodLabel method={a.installedVia} />
            </Typography>
            {a.helm && (
              <Typography variant="body2">
                Helm release {a.helm.namespace}/{a.helm.release} revision {a.helm.revision} (
                {a.helm.status}): chart {a.helm.chart} {a.helm.chartVersion}
                {a.helm.appVersion ? `, app ${a.helm.appVersion}` : ''}
                {a.helm.subchartOf ? `, a sub-chart of ${a.helm.subchartOf}` : ''}
              </Typography>
            )}
            {a.installedVia === 'both' && (
              <Alert severity="warning" role="status">
                A Helm release and the EKS add-on both install {a.name} and fight over the same
                objects: finish the migration.
              </Alert>
            )}
            {a.migrationTarget && (
              <Typography variant="body2">
                A migration would install add-on version {a.migrationTarget.addonVersion} (the{' '}
                {a.migrationTarget.basis === 'default' ? 'default' : 'newest'} for Kubernetes{' '}
                {kubernetesVersion ?? 'of the cluster'})
                {a.migrationTarget.equivalentAddonVersion
                  ? `; ${a.migrationTarget.equivalentAddonVersion} carries the same software as the chart`
                  : ''}
                .
              </Typography>
            )}
          </Section>
          {a.addon && a.addon.issues.length > 0 && (
            <Section title={`Health issues (${a.addon.issues.length})`}>
              <ul>
                {a.addon.issues.map((issue, i) => (
                  <IssueItem key={`${issue.code}-${i}`} issue={issue} />
                ))}
              </ul>
            </Section>
          )}
          {a.findings.length > 0 && (
            <Section title={`Findings (${a.findings.length})`}>
              <ul>
                {a.findings.map((f, i) => (
                  <FindingItem key={`${f.code}-${i}`} finding={f} />
                ))}
              </ul>
            </Section>
          )}
          {a.configDrift && (
            <Section title="Configuration drift">
              <ConfigDriftText drift={a.configDrift} />
            </Section>
          )}
          {readiness?.verdict && (
            <Section title={`Kubernetes ${readiness.target}`}>
              <Typography variant="body2">
                {readinessText(
                  readiness.verdict.verdict,
                  readiness.target,
                  readiness.verdict.requiredVersion,
                )}
              </Typography>
            </Section>
          )}
        </Box>
      </AccordionDetails>
    </Accordion>
  );
}

/** Whether the cluster may move to the next Kubernetes version, and what holds it back. */
export function ReadinessSummary({ report }: { report: ClusterReport }) {
  const r = report.readiness;
  if (!r) return null;
  const blocking = r.addons.filter((a) => blocksClusterUpgrade(a.verdict));
  if (r.ready) {
    return (
      <Alert severity="success" role="status">
        Ready for Kubernetes {r.targetVersion}: every add-on has a version that runs there.
      </Alert>
    );
  }
  return (
    <Alert severity="warning" role="status">
      Not ready for Kubernetes {r.targetVersion}: {blocking.length} add-on
      {blocking.length === 1 ? '' : 's'} block{blocking.length === 1 ? 's' : ''} the upgrade (
      {blocking
        .map(
          (b) => `${b.addonName}: ${readinessText(b.verdict, r.targetVersion, b.requiredVersion)}`,
        )
        .join('; ')}
      ).
    </Alert>
  );
}

export function AddonList({ report }: { report: ClusterReport }) {
  if (report.addons.length === 0) {
    return (
      <Typography variant="body2">
        No add-ons were found on this cluster
        {report.errors.length > 0 ? ' (the last scan could not read everything)' : ''}.
      </Typography>
    );
  }
  const k8s = report.cluster.kubernetesVersion;
  return (
    <div>
      {report.addons.map((a) => (
        <AddonItem
          key={a.name}
          addon={a}
          kubernetesVersion={k8s}
          readiness={
            report.readiness
              ? {
                  target: report.readiness.targetVersion,
                  verdict: report.readiness.addons.find((r) => r.addonName === a.name),
                }
              : undefined
          }
        />
      ))}
    </div>
  );
}
