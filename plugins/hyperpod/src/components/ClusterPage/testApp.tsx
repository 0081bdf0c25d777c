/**
 * Test wiring for the cluster tab's components: the test app with a fake HyperpodApi, a
 * permission API that answers per hyperpod permission (and records what it was asked), the
 * signed-in user, and optionally the catalog entity; plus backend errors built the way
 * HyperpodClient builds them (ResponseError from Backstage's error body); getMigration stand-ins
 * for the migration components.
 *
 * Test-only: nothing outside `*.test.tsx` imports this module.
 */
import { configApiRef, identityApiRef } from '@backstage/core-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import { ResponseError } from '@backstage/errors';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { permissionApiRef, type PermissionApi } from '@backstage/plugin-permission-react';
import { mockApis, renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import {
  hyperpodClusterReadPermission,
  hyperpodMigrationRunPermission,
  hyperpodUpgradeApprovePermission,
  hyperpodUpgradeRequestPermission,
  type ApiErrorBody,
  type MigrationRunView,
} from '@hyperpod/core';
import { act, waitFor } from '@testing-library/react';
import type { ReactElement } from 'react';
import { SWRConfig } from 'swr';
import { hyperpodApiRef, type HyperpodApi } from '../../api/HyperpodApi';

export interface Grants {
  read?: boolean;
  request?: boolean;
  approve?: boolean;
  migrate?: boolean;
}

const NAMES: Record<keyof Grants, string> = {
  read: hyperpodClusterReadPermission.name,
  request: hyperpodUpgradeRequestPermission.name,
  approve: hyperpodUpgradeApprovePermission.name,
  migrate: hyperpodMigrationRunPermission.name,
};

/** Every permission question the components asked: which permission, on which cluster. */
export type PermissionLog = { permission: string; resourceRef?: string }[];

export async function renderWithApis(
  ui: ReactElement,
  opts: {
    api: HyperpodApi;
    /** Default: everything allowed. */
    grants?: Grants;
    user?: string;
    entity?: Entity;
    /** The permission API never answers: the components stay in their checking state. */
    permissionsPending?: boolean;
    /** The app's configuration as the frontend sees it (app-config.yaml's frontend part). */
    config?: NonNullable<Parameters<typeof mockApis.config>[0]>['data'];
  },
) {
  const grants: Required<Grants> = {
    read: true,
    request: true,
    approve: true,
    migrate: true,
    ...opts.grants,
  };
  const asked: PermissionLog = [];
  const answering = mockApis.permission({
    authorize: (req) => {
      const resourceRef = 'resourceRef' in req ? req.resourceRef : undefined;
      asked.push({ permission: req.permission.name, resourceRef });
      const key = (Object.keys(NAMES) as (keyof Grants)[]).find(
        (k) => NAMES[k] === req.permission.name,
      );
      return key && grants[key] ? AuthorizeResult.ALLOW : AuthorizeResult.DENY;
    },
  });
  const permissionApi: PermissionApi = opts.permissionsPending
    ? { authorize: () => new Promise(() => {}) }
    : answering;
  const identityApi = mockApis.identity({
    userEntityRef: opts.user ?? 'user:default/jane.doe',
  });
  const content = opts.entity ? <EntityProvider entity={opts.entity}>{ui}</EntityProvider> : ui;
  const rendered = await renderInTestApp(
    // A fresh SWR cache per render: usePermission caches answers by permission and cluster.
    <SWRConfig value={{ provider: () => new Map() }}>
      <TestApiProvider
        apis={[
          [hyperpodApiRef, opts.api],
          [permissionApiRef, permissionApi],
          [identityApiRef, identityApi],
          [configApiRef, mockApis.config({ data: opts.config ?? {} })],
        ]}
      >
        {content}
      </TestApiProvider>
    </SWRConfig>,
  );
  return { ...rendered, asked };
}

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  500: 'Internal Server Error',
};

/** What HyperpodClient throws for a backend error answer (Backstage's error body). */
export function backendError(status: number, name: string, message: string): Promise<Error> {
  const body: ApiErrorBody = { error: { name, message }, response: { statusCode: status } };
  return ResponseError.fromResponse({
    ok: false,
    status,
    statusText: STATUS_TEXT[status] ?? 'Error',
    url: 'http://localhost:7007/api/hyperpod',
    headers: { get: (h: string) => (h === 'content-type' ? 'application/json' : null) },
    text: async () => JSON.stringify(body),
  } as unknown as Parameters<typeof ResponseError.fromResponse>[0]);
}

/** A promise and its settlers, to hold a component in its loading state. */
export function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** The components' poll interval in tests: fast, so a test sees several polls. */
export const POLL_MS = 5;

/** getMigration answering each poll with the next of `views`, the last one from then on. */
export function polls(views: MigrationRunView[]) {
  let i = 0;
  return jest.fn(async () => views[Math.min(i++, views.length - 1)]!);
}

/** getMigration whose answers the test releases one by one. */
export function steppedPolls() {
  const waiting: ReturnType<typeof deferred<MigrationRunView>>[] = [];
  const getMigration = jest.fn(() => {
    const d = deferred<MigrationRunView>();
    waiting.push(d);
    return d.promise;
  });
  const answer = async (view: MigrationRunView) => {
    await waitFor(() => expect(waiting.length).toBeGreaterThan(0));
    await act(async () => waiting.shift()!.resolve(view));
  };
  return { getMigration, answer };
}
