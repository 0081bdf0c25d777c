/**
 * The sidebar: the fleet page, the clusters in the catalog, the whole catalog, who is signed in
 * and sign-out (the app has no settings page, and the demo switches users).
 */
import { useEffect, useState, type PropsWithChildren } from 'react';
import AccountCircleIcon from '@material-ui/icons/AccountCircle';
import CategoryIcon from '@material-ui/icons/Category';
import DnsIcon from '@material-ui/icons/Dns';
import ExitToAppIcon from '@material-ui/icons/ExitToApp';
import StorageIcon from '@material-ui/icons/Storage';
import {
  Sidebar,
  SidebarDivider,
  SidebarGroup,
  SidebarItem,
  SidebarPage,
  SidebarScrollWrapper,
  SidebarSpace,
} from '@backstage/core-components';
import { identityApiRef, useApi } from '@backstage/core-plugin-api';
import { HYPERPOD_CLUSTER_ENTITY_TYPE } from '@hyperpod/core';

const CLUSTERS_IN_CATALOG = `/catalog?filters%5Bkind%5D=resource&filters%5Btype%5D=${HYPERPOD_CLUSTER_ENTITY_TYPE}&filters%5Buser%5D=all`;

/** Who is signed in (the user's entity name, linked to its catalog page) and sign-out. */
function SignedInUser() {
  const identityApi = useApi(identityApiRef);
  const [userRef, setUserRef] = useState<string>();
  useEffect(() => {
    let live = true;
    identityApi
      .getBackstageIdentity()
      .then((identity) => live && setUserRef(identity.userEntityRef))
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [identityApi]);
  const [, namespace = 'default', name] = /^[^:]+:(?:([^/]+)\/)?(.+)$/.exec(userRef ?? '') ?? [];
  return (
    <>
      <SidebarItem
        icon={AccountCircleIcon}
        to={name ? `/catalog/${namespace}/user/${name}` : '/catalog'}
        text={name ?? 'Signed in'}
        aria-label={name ? `Signed in as ${name}: your catalog page` : undefined}
      />
      <SidebarItem icon={ExitToAppIcon} text="Sign out" onClick={() => identityApi.signOut()} />
    </>
  );
}

export function Root({ children }: PropsWithChildren) {
  return (
    <SidebarPage>
      <Sidebar>
        <SidebarGroup label="Menu">
          <SidebarScrollWrapper>
            <SidebarItem icon={DnsIcon} to="hyperpod" text="EKS fleet" />
            <SidebarItem icon={StorageIcon} to={CLUSTERS_IN_CATALOG} text="Clusters" />
            <SidebarItem icon={CategoryIcon} to="catalog" text="Catalog" />
          </SidebarScrollWrapper>
        </SidebarGroup>
        <SidebarSpace />
        <SidebarDivider />
        <SidebarGroup label="Account">
          <SignedInUser />
        </SidebarGroup>
      </Sidebar>
      {children}
    </SidebarPage>
  );
}
