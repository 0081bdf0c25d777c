/**
 * The fleet page's filters: native selects and a text field, each with a visible label, so they
 * work from the keyboard and with screen readers as they are.
 */
import Grid from '@material-ui/core/Grid';
import TextField from '@material-ui/core/TextField';
import { HEALTH_LADDER, type FleetSummaryCluster } from '@hyperpod/core';
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

/** The select filters, in their order on the page: what each filters on and offers. */
const SELECTS: {
  key: 'account' | 'region' | 'owner' | 'health';
  label: string;
  options: (clusters: readonly FleetSummaryCluster[]) => string[];
  display?: (v: string) => string;
}[] = [
  { key: 'account', label: 'Account', options: (c) => distinctValues(c, 'accountId') },
  { key: 'region', label: 'Region', options: (c) => distinctValues(c, 'region') },
  {
    key: 'owner',
    label: 'Owner',
    options: (c) => distinctValues(c, 'owner'),
    display: ownerLabel,
  },
  { key: 'health', label: 'Health', options: () => [...HEALTH_LADDER] },
];

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
      {SELECTS.map(({ key, label, options, display }) => (
        <Grid item xs={6} md={2} key={key}>
          <SelectFilter
            id={`hyperpod-fleet-filter-${key}`}
            label={label}
            value={filters[key]}
            options={options(clusters)}
            {...(display ? { display } : {})}
            // health's options are HEALTH_LADDER's states, so the value is a HealthState.
            onChange={(value) => set({ [key]: value } as Partial<FleetFilters>)}
          />
        </Grid>
      ))}
    </Grid>
  );
}
