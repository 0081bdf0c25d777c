/**
 * The portal: the catalog (clusters are `Resource` entities with a hyperpod tab), the fleet page
 * at /hyperpod, and sign-in as the guest or a demo user. Legacy frontend system (createApp from
 * @backstage/app-defaults), as the hyperpod plugin is a legacy plugin.
 */
import { Navigate, Route } from 'react-router-dom';
import { createApp } from '@backstage/app-defaults';
import { AppRouter, FlatRoutes } from '@backstage/core-app-api';
import { AlertDisplay, OAuthRequestDialog, SignInPage } from '@backstage/core-components';
import { CatalogEntityPage, CatalogIndexPage, catalogPlugin } from '@backstage/plugin-catalog';
import { HyperpodFleetPage, hyperpodPlugin } from '@hyperpod/plugin-hyperpod';
import { apis } from './apis';
import { entityPage } from './components/catalog/EntityPage';
import { Root } from './components/Root';
import { demoUsers } from './identity/DemoUserAuth';
import { appThemes } from './themes';

const app = createApp({
  apis,
  plugins: [catalogPlugin, hyperpodPlugin],
  themes: appThemes,
  components: {
    SignInPage: (props) => (
      <SignInPage
        {...props}
        title="kubectl-hyperpod portal"
        align="center"
        providers={[
          'guest',
          ...demoUsers.map((u) => ({
            id: `hyperpod-demo-${u.user}`,
            title: u.title,
            message: u.message,
            apiRef: u.apiRef,
          })),
        ]}
      />
    ),
  },
});

const routes = (
  <FlatRoutes>
    <Route path="/" element={<Navigate to="hyperpod" />} />
    <Route path="/hyperpod" element={<HyperpodFleetPage />} />
    <Route path="/catalog" element={<CatalogIndexPage />} />
    <Route path="/catalog/:namespace/:kind/:name" element={<CatalogEntityPage />}>
      {entityPage}
    </Route>
  </FlatRoutes>
);

export default app.createRoot(
  <>
    <AlertDisplay />
    <OAuthRequestDialog />
    <AppRouter>
      <Root>{routes}</Root>
    </AppRouter>
  </>,
);
