/**
 * One page of the fleet's clusters. Paging keeps the DOM small for fleets of hundreds of
 * clusters without virtualisation; sorting is by column header buttons.
 */
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableContainer from '@material-ui/core/TableContainer';
import TableHead from '@material-ui/core/TableHead';
import TablePagination from '@material-ui/core/TablePagination';
import TableRow from '@material-ui/core/TableRow';
import TableSortLabel from '@material-ui/core/TableSortLabel';
import Typography from '@material-ui/core/Typography';
import { Link } from '@backstage/core-components';
import type { FleetSummaryCluster } from '@hyperpod/core';
import { HealthChip } from '../common/HealthChip';
import { Timestamp } from '../common/Timestamp';
import { clusterEntityRef, useEntityPageLink } from '../common/entityPageLink';
import { useTableStyles } from '../common/useTableStyles';
import { AddonChips } from './AddonChips';
import { ownerLabel } from './FleetFiltersBar';
import type { FleetSort, FleetSortKey } from './fleetRows';

export const ROWS_PER_PAGE_OPTIONS = [25, 50, 100];

function SortableHeader(props: {
  column: FleetSortKey;
  label: string;
  sort: FleetSort;
  onSort: (key: FleetSortKey) => void;
}) {
  const active = props.sort.key === props.column;
  return (
    <TableCell sortDirection={active ? props.sort.direction : false}>
      <TableSortLabel
        active={active}
        direction={active ? props.sort.direction : 'asc'}
        onClick={() => props.onSort(props.column)}
      >
        {props.label}
      </TableSortLabel>
    </TableCell>
  );
}

const none = <span>&lt;none&gt;</span>;

export function FleetTable(props: {
  /** Filtered and sorted: every row of every page. */
  rows: readonly FleetSummaryCluster[];
  total: number;
  sort: FleetSort;
  onSort: (key: FleetSortKey) => void;
  page: number;
  rowsPerPage: number;
  onPage: (page: number) => void;
  onRowsPerPage: (rowsPerPage: number) => void;
  now: Date;
}) {
  const { rows, sort, onSort, page, rowsPerPage, now } = props;
  const entityLink = useEntityPageLink();
  const classes = useTableStyles();
  const pageRows = rows.slice(page * rowsPerPage, (page + 1) * rowsPerPage);
  return (
    <>
      <TableContainer>
        <Table size="small" aria-label="Clusters" className={classes.table}>
          <caption>
            <Typography variant="body2" component="span">
              Showing {rows.length} of {props.total} clusters
            </Typography>
          </caption>
          <TableHead>
            <TableRow>
              <SortableHeader column="name" label="Name" sort={sort} onSort={onSort} />
              <TableCell>Account</TableCell>
              <SortableHeader column="region" label="Region" sort={sort} onSort={onSort} />
              <TableCell>Owner</TableCell>
              <TableCell>Kubernetes</TableCell>
              <SortableHeader column="health" label="Health" sort={sort} onSort={onSort} />
              <TableCell>Add-ons</TableCell>
              <TableCell align="right">Open requests</TableCell>
              <TableCell>Last scanned</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {pageRows.map((c) => {
              const ref = clusterEntityRef(c);
              const link = ref ? entityLink(ref) : undefined;
              const ownerLink = c.owner ? entityLink(c.owner) : undefined;
              return (
                <TableRow key={c.id}>
                  <TableCell component="th" scope="row" className={classes.nowrap}>
                    {link ? <Link to={link}>{c.name}</Link> : c.name}
                  </TableCell>
                  <TableCell className={classes.nowrap}>{c.accountId ?? none}</TableCell>
                  <TableCell className={classes.nowrap}>{c.region ?? none}</TableCell>
                  <TableCell className={classes.nowrap}>
                    {!c.owner && none}
                    {c.owner && ownerLink && <Link to={ownerLink}>{ownerLabel(c.owner)}</Link>}
                    {c.owner && !ownerLink && ownerLabel(c.owner)}
                  </TableCell>
                  <TableCell className={classes.nowrap}>{c.kubernetesVersion ?? none}</TableCell>
                  <TableCell>
                    <HealthChip health={c.health} />
                  </TableCell>
                  <TableCell>
                    <AddonChips clusterName={c.name} addons={c.addons} />
                  </TableCell>
                  <TableCell align="right">{c.openRequests}</TableCell>
                  <TableCell className={classes.nowrap}>
                    {c.scannedAt ? (
                      <Timestamp iso={c.scannedAt} now={now.getTime()} style="short" />
                    ) : (
                      'never'
                    )}
                    {c.errors > 0 && (
                      <Typography variant="caption" display="block" color="error">
                        {c.errors} scan {c.errors === 1 ? 'error' : 'errors'}
                      </Typography>
                    )}
                  </TableCell>
                </TableRow>
              );
            })}
          </TableBody>
        </Table>
      </TableContainer>
      <TablePagination
        component="div"
        count={rows.length}
        page={page}
        rowsPerPage={rowsPerPage}
        rowsPerPageOptions={ROWS_PER_PAGE_OPTIONS}
        onPageChange={(_e, p) => props.onPage(p)}
        onRowsPerPageChange={(e) => props.onRowsPerPage(Number(e.target.value))}
      />
    </>
  );
}
