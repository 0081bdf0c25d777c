/**
 * The fleet page's filters: native selects and a text field, each with a visible label, so they
 * work from the keyboard and with screen readers as they are.
 */
import Grid from '@material-ui/core/Grid';
import TextField from '@material-ui/core/TextField';
import { HEALTH_LADDER, type FleetSummaryCluster, type HealthState } from '@hyperpod/core';
import { distinctValues, type FleetFilters } from './fleetRows';

function SelectFilter(props: {
  id: string;
  label: string;
  value: string | undefined;
  options: string[];
  display?: (v: string) => string;
  onChange: (value: string | undefined) => void;
}) {
  const { id, label, value, options, display = (v) => v, onChange } = props;
  return (
    <TextField
      id={id}
      select
      label={label}
      value={value ?? ''}
      onChange={(e) => onChange(e.target.value || undefined)}
      SelectProps={{ native: true }}
      InputLabelProps={{ shrink: true }}
      variant="outlined"
      size="small"
      fullWidth
    >
      <option value="">All</option>
      {options.map((o) => (
        <option key={o} value={o}>
          {display(o)}
        </option>
      ))}
    </TextField>
  );
}

/** `group:default/ml-platform` → `ml-platform`; other refs as they are. */
export function ownerLabel(owner: string): string {
  return owner.replace(/^group:default\//, '');
}

export function FleetFiltersBar(props: {
  clusters: readonly FleetSummaryCluster[];
  filters: FleetFilters;
  onChange: (filters: FleetFilters) => void;
}) {
  const { clusters, filters, onChange } = props;
  const set = (patch: Partial<FleetFilters>) => onChange({ ...filters, ...patch });
  return (
    <Grid container spacing={2} role="search" aria-label="Filter clusters">
      <Grid item xs={12} md={4}>
        <TextField
          id="hyperpod-fleet-filter-name"
          label="Cluster name"
          placeholder="Filter by name"
          type="search"
          value={filters.text ?? ''}
          onChange={(e) => set({ text: e.target.value || undefined })}
          InputLabelProps={{ shrink: true }}
          variant="outlined"
          size="small"
          fullWidth
        />
      </Grid>
      <Grid item xs={6} md={2}>
        <SelectFilter
          id="hyperpod-fleet-filter-account"
          label="Account"
          value={filters.account}
          options={distinctValues(clusters, 'accountId')}
          onChange={(account) => set({ account })}
        />
      </Grid>
      <Grid item xs={6} md={2}>
        <SelectFilter
          id="hyperpod-fleet-filter-region"
          label="Region"
          value={filters.region}
          options={distinctValues(clusters, 'region')}
          onChange={(region) => set({ region })}
        />
      </Grid>
      <Grid item xs={6} md={2}>
        <SelectFilter
          id="hyperpod-fleet-filter-owner"
          label="Owner"
          value={filters.owner}
          options={distinctValues(clusters, 'owner')}
          display={ownerLabel}
          onChange={(owner) => set({ owner })}
        />
      </Grid>
      <Grid item xs={6} md={2}>
        <SelectFilter
          id="hyperpod-fleet-filter-health"
          label="Health"
          value={filters.health}
          options={[...HEALTH_LADDER]}
          onChange={(health) => set({ health: health as HealthState | undefined })}
        />
      </Grid>
    </Grid>
  );
}
