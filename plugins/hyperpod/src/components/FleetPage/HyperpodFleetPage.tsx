/**
 * The fleet page: every cluster of the fleet with its health and add-ons, from `GET /fleet`.
 * Filters live in the URL (`?account=&region=&owner=&health=&q=`) so a filtered view can be
 * shared as a link.
 */
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import {
  CodeSnippet,
  Content,
  ContentHeader,
  EmptyState,
  Header,
  Page,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { HEALTH_LADDER, type FleetSummary, type HealthState } from '@hyperpod/core';
import { useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { hyperpodApiRef } from '../../api/HyperpodApi';
import { Timestamp } from '../common/Timestamp';
import { errorMessage } from '../common/errorMessage';
import { FleetFiltersBar } from './FleetFiltersBar';
import { FleetTable, ROWS_PER_PAGE_OPTIONS } from './FleetTable';
import { FleetTotals } from './FleetTotals';
import {
  filterClusters,
  sortClusters,
  type FleetFilters,
  type FleetSort,
  type FleetSortKey,
} from './fleetRows';

const CONFIG_EXAMPLE = `hyperpod:
  fleet:
    clusters:
      - name: ml-prod-use1
        region: us-east-1
        accountId: '111111111111'
        owner: group:default/ml-platform
    # or find every cluster of an account:
    discover:
      - regions: [us-east-1, us-west-2]`;

const PARAMS = {
  account: 'account',
  region: 'region',
  owner: 'owner',
  health: 'health',
  text: 'q',
};

function useFleetFilters(): [FleetFilters, (f: FleetFilters) => void] {
  const [params, setParams] = useSearchParams();
  const health = params.get(PARAMS.health) ?? undefined;
  const filters: FleetFilters = {
    account: params.get(PARAMS.account) ?? undefined,
    region: params.get(PARAMS.region) ?? undefined,
    owner: params.get(PARAMS.owner) ?? undefined,
    health: (HEALTH_LADDER as readonly string[]).includes(health ?? '')
      ? (health as HealthState)
      : undefined,
    text: params.get(PARAMS.text) ?? undefined,
  };
  const setFilters = (f: FleetFilters) => {
    const next = new URLSearchParams(params);
    for (const [key, param] of Object.entries(PARAMS) as [keyof FleetFilters, string][]) {
      const v = f[key];
      if (v) next.set(param, v);
      else next.delete(param);
    }
    setParams(next, { replace: true });
  };
  return [filters, setFilters];
}

/** Health sorts worst first on the first click; names and regions A to Z. */
const FIRST_DIRECTION: Record<FleetSortKey, FleetSort['direction']> = {
  name: 'asc',
  region: 'asc',
  health: 'desc',
};

function FleetView(props: { fleet: FleetSummary; reloading: boolean; onReload: () => void }) {
  const { fleet } = props;
  const [filters, setFilters] = useFleetFilters();
  const [sort, setSort] = useState<FleetSort>({ key: 'name', direction: 'asc' });
  const [page, setPage] = useState(0);
  const [rowsPerPage, setRowsPerPage] = useState(ROWS_PER_PAGE_OPTIONS[0]!);
  // A few hundred rows filter and sort in well under a millisecond: no memo needed.
  const rows = sortClusters(filterClusters(fleet.clusters, filters), sort);
  // A filter that shrinks the rows below the current page shows the last page instead.
  const lastPage = Math.max(0, Math.ceil(rows.length / rowsPerPage) - 1);
  const shownPage = Math.min(page, lastPage);
  return (
    <>
      <ContentHeader title="Clusters">
        <Button variant="outlined" onClick={props.onReload} disabled={props.reloading}>
          {props.reloading ? 'Reloading…' : 'Reload'}
        </Button>
      </ContentHeader>
      <FleetTotals totals={fleet.totals} />
      {/* Room below for the filters' labels, which sit on their fields' top edges. */}
      <Typography variant="caption" component="p" style={{ margin: '8px 0 16px' }}>
        Summary generated <Timestamp iso={fleet.generatedAt} />
      </Typography>
      <FleetFiltersBar
        clusters={fleet.clusters}
        filters={filters}
        onChange={(f) => {
          setFilters(f);
          setPage(0);
        }}
      />
      <FleetTable
        rows={rows}
        total={fleet.clusters.length}
        sort={sort}
        onSort={(key) =>
          setSort((s) =>
            s.key === key
              ? { key, direction: s.direction === 'asc' ? 'desc' : 'asc' }
              : { key, direction: FIRST_DIRECTION[key] },
          )
        }
        page={shownPage}
        rowsPerPage={rowsPerPage}
        onPage={setPage}
        onRowsPerPage={(n) => {
          setRowsPerPage(n);
          setPage(0);
        }}
        now={new Date()}
      />
    </>
  );
}

function FleetContent() {
  const api = useApi(hyperpodApiRef);
  const { value, loading, error, retry } = useAsyncRetry(() => api.getFleet(), [api]);
  // On Reload the last summary stays on screen (with its filters, sort and page) until the new one.
  if (loading && !value) return <Progress aria-label="Loading the fleet" />;
  if (error) {
    return (
      <ResponseErrorPanel
        title={`Could not load the fleet: ${errorMessage(error)}`}
        error={error}
      />
    );
  }
  if (!value || value.clusters.length === 0) {
    return (
      <EmptyState
        missing="data"
        title="No clusters configured"
        description="The hyperpod backend has no cluster to scan. List clusters, or accounts and regions to discover them in, under hyperpod.fleet in app-config.yaml, then restart the backend."
        action={<CodeSnippet language="yaml" text={CONFIG_EXAMPLE} />}
      />
    );
  }
  return <FleetView fleet={value} reloading={loading} onReload={retry} />;
}

export function HyperpodFleetPage() {
  return (
    <Page themeId="tool">
      <Header
        title="EKS add-ons"
        subtitle="Health, version drift and Helm migrations across the fleet"
      />
      <Content>
        <FleetContent />
      </Content>
    </Page>
  );
}
