/**
 * Entity pages. A cluster (`Resource` of type kubernetes-cluster with the hyperpod annotations)
 * gets an overview with the hyperpod card and a Hyperpod tab with its add-ons, drift,
 * migrations and upgrade requests; every other entity gets the about card.
 */
import type { ComponentProps, ComponentType, ReactElement } from 'react';
import { Grid } from '@material-ui/core';
import {
  EntityAboutCard,
  EntityLayout,
  EntityLinksCard,
  EntityOrphanWarning,
  EntityProcessingErrorsPanel,
  EntityRelationWarning,
  EntitySwitch,
  hasCatalogProcessingErrors,
  hasRelationWarnings,
  isOrphan,
} from '@backstage/plugin-catalog';
import {
  EntityHyperpodCard,
  EntityHyperpodContent,
  isHyperpodClusterEntity,
} from '@hyperpod/plugin-hyperpod';

/** Each warning an entity may carry: when it shows, and what. */
const WARNINGS: [NonNullable<ComponentProps<typeof EntitySwitch.Case>['if']>, ComponentType][] = [
  [isOrphan, EntityOrphanWarning],
  [hasRelationWarnings, EntityRelationWarning],
  [hasCatalogProcessingErrors, EntityProcessingErrorsPanel],
];

/** The Overview tab: the warnings, the about card and the page's own card beside it. */
const overview = (card: ReactElement) => (
  <EntityLayout.Route path="/" title="Overview">
    <Grid container spacing={3} alignItems="stretch">
      {WARNINGS.map(([when, Warning], i) => (
        <EntitySwitch key={i}>
          <EntitySwitch.Case if={when}>
            <Grid item xs={12}>
              <Warning />
            </Grid>
          </EntitySwitch.Case>
        </EntitySwitch>
      ))}
      <Grid item xs={12} md={6}>
        <EntityAboutCard />
      </Grid>
      <Grid item xs={12} md={6}>
        {card}
      </Grid>
    </Grid>
  </EntityLayout.Route>
);

const clusterPage = (
  <EntityLayout>
    {overview(<EntityHyperpodCard />)}
    <EntityLayout.Route path="/hyperpod" title="Hyperpod">
      <EntityHyperpodContent />
    </EntityLayout.Route>
  </EntityLayout>
);

const defaultPage = <EntityLayout>{overview(<EntityLinksCard />)}</EntityLayout>;

export const entityPage = (
  <EntitySwitch>
    <EntitySwitch.Case if={isHyperpodClusterEntity}>{clusterPage}</EntitySwitch.Case>
    <EntitySwitch.Case>{defaultPage}</EntitySwitch.Case>
  </EntitySwitch>
);
