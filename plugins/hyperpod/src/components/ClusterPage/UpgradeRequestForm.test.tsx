/** @jest-environment jsdom */
import {
  INFERENCE_ADDON,
  type AddonVersionsResponse,
  type ClusterReport,
  type UpgradeRequest,
} from '@hyperpod/core';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  DEMO_CLUSTERS,
  demoReport,
  fakeHyperpodApi,
  portalCluster,
  upgradeRequestFixture,
} from '../common/testFixtures';
import { UpgradeRequestForm, reasonProblem, upgradeTargets } from './UpgradeRequestForm';
import { backendError, deferred, renderWithApis } from './testApp';

const staging = portalCluster(DEMO_CLUSTERS.staging);
const STAGING = staging.id;

/** GET /clusters/ml-staging-usw2/addons/amazon-sagemaker-hyperpod-inference/versions (Kubernetes 1.31). */
const INFERENCE_VERSIONS: AddonVersionsResponse = {
  cluster: staging,
  addonName: INFERENCE_ADDON,
  installed: 'v1.0.0-eksbuild.1',
  default: 'v1.1.0-eksbuild.1',
  latest: 'v1.2.0-eksbuild.1',
  compatible: ['v1.2.0-eksbuild.1', 'v1.1.0-eksbuild.1', 'v1.0.1-eksbuild.1', 'v1.0.0-eksbuild.1'],
};

function optionLabels(select: HTMLElement): string[] {
  return within(select)
    .getAllByRole('option')
    .map((o) => o.textContent ?? '');
}

/** The form on staging, its versions those of INFERENCE_VERSIONS unless `api` says otherwise. */
async function renderStagingForm(
  api: Parameters<typeof fakeHyperpodApi>[0],
  onCreated?: (r: UpgradeRequest) => void,
) {
  await renderWithApis(
    <UpgradeRequestForm
      clusterId={STAGING}
      report={demoReport('staging')}
      {...(onCreated ? { onCreated } : {})}
    />,
    { api: fakeHyperpodApi({ getAddonVersions: jest.fn(async () => INFERENCE_VERSIONS), ...api }) },
  );
}

/** Chooses the inference add-on and v1.1.0-eksbuild.1, and types `reason`. */
async function fillForm(reason: string) {
  await userEvent.selectOptions(await screen.findByLabelText(/Add-on/), INFERENCE_ADDON);
  await userEvent.selectOptions(
    await screen.findByLabelText(/Target version/),
    'v1.1.0-eksbuild.1',
  );
  await userEvent.type(screen.getByLabelText(/Reason/), reason);
}

describe('UpgradeRequestForm', () => {
  it('is replaced by a disabled button that says why without hyperpod.upgrade.request', async () => {
    const api = fakeHyperpodApi({});
    const { asked } = await renderWithApis(
      <UpgradeRequestForm clusterId={STAGING} report={demoReport('staging')} />,
      { api, grants: { request: false } },
    );
    expect(
      await screen.findByText(
        /You may not request upgrades on this cluster \(permission hyperpod\.upgrade\.request\)/,
      ),
    ).toBeVisible();
    expect(screen.getByRole('button', { name: 'Request an upgrade' })).toBeDisabled();
    expect(screen.queryByLabelText(/Add-on/)).not.toBeInTheDocument();
    expect(asked).toContainEqual({ permission: 'hyperpod.upgrade.request', resourceRef: STAGING });
  });

  it('says it is checking the permission until the answer comes', async () => {
    await renderWithApis(
      <UpgradeRequestForm clusterId={STAGING} report={demoReport('staging')} />,
      { api: fakeHyperpodApi({}), permissionsPending: true },
    );
    expect(screen.getByText('Checking whether you may request upgrades…')).toBeInTheDocument();
    expect(screen.queryByLabelText(/Add-on/)).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /Request/ })).not.toBeInTheDocument();
  });

  it('offers the installed EKS add-ons only, not the Helm installs', async () => {
    const api = fakeHyperpodApi({});
    await renderWithApis(<UpgradeRequestForm clusterId={STAGING} report={demoReport('prod')} />, {
      api,
    });
    const addon = await screen.findByLabelText(/Add-on/);
    expect(optionLabels(addon)).toEqual([
      'Choose an add-on',
      'vpc-cni (v1.20.0-eksbuild.1)',
      'coredns (v1.11.4-eksbuild.14)',
      'kube-proxy (v1.31.5-eksbuild.2)',
      'eks-pod-identity-agent (v1.3.7-eksbuild.2)',
    ]);
  });

  it('offers only compatible versions newer than the installed one, marking default and latest', async () => {
    const versions = deferred<AddonVersionsResponse>();
    const getAddonVersions = jest.fn(() => versions.promise);
    await renderStagingForm({ getAddonVersions });
    await userEvent.selectOptions(await screen.findByLabelText(/Add-on/), INFERENCE_ADDON);
    expect(screen.getByText(`Loading the versions of ${INFERENCE_ADDON}…`)).toBeInTheDocument();
    expect(getAddonVersions).toHaveBeenCalledWith(STAGING, INFERENCE_ADDON);
    versions.resolve(INFERENCE_VERSIONS);
    const target = await screen.findByLabelText(/Target version/);
    expect(optionLabels(target)).toEqual([
      'Choose a version',
      'v1.2.0-eksbuild.1 (latest)',
      'v1.1.0-eksbuild.1 (default)',
      'v1.0.1-eksbuild.1',
    ]);
  });

  it('shows why the versions could not be loaded', async () => {
    await renderStagingForm({
      getAddonVersions: jest.fn(async () => {
        throw await backendError(
          404,
          'NotFoundError',
          `no add-on ${INFERENCE_ADDON} in the EKS catalog`,
        );
      }),
    });
    await userEvent.selectOptions(await screen.findByLabelText(/Add-on/), INFERENCE_ADDON);
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent(`Could not load the versions of ${INFERENCE_ADDON}`);
    expect(alert).toHaveTextContent(
      `Not found (404): no add-on ${INFERENCE_ADDON} in the EKS catalog`,
    );
  });

  it('says there is nothing to upgrade to at the newest compatible version', async () => {
    const research = portalCluster(DEMO_CLUSTERS.research);
    const api = fakeHyperpodApi({
      getAddonVersions: jest.fn(async () => ({
        cluster: research,
        addonName: INFERENCE_ADDON,
        installed: 'v1.2.0-eksbuild.1',
        default: 'v1.1.0-eksbuild.1',
        latest: 'v1.2.0-eksbuild.1',
        compatible: ['v1.2.0-eksbuild.1', 'v1.1.0-eksbuild.1'],
      })),
    });
    await renderWithApis(
      <UpgradeRequestForm clusterId={research.id} report={demoReport('research')} />,
      { api },
    );
    await userEvent.selectOptions(await screen.findByLabelText(/Add-on/), INFERENCE_ADDON);
    expect(
      await screen.findByText(
        `${INFERENCE_ADDON} v1.2.0-eksbuild.1 is the newest version compatible with Kubernetes 1.32: there is nothing to upgrade to.`,
      ),
    ).toBeVisible();
    expect(screen.queryByLabelText(/Target version/)).not.toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Request the upgrade' })).toBeDisabled();
  });

  it("keeps the selects' labels above the option they show, chosen or not", async () => {
    await renderStagingForm({});
    const label = (id: string) => document.querySelector(`label[for="${id}"]`);
    // A native select always shows an option ("Choose an add-on"): an unshrunk label covers it.
    await screen.findByLabelText(/Add-on/);
    expect(label('hyperpod-upgrade-addon')).toHaveAttribute('data-shrink', 'true');
    await userEvent.selectOptions(screen.getByLabelText(/Add-on/), INFERENCE_ADDON);
    await screen.findByLabelText(/Target version/);
    expect(label('hyperpod-upgrade-version')).toHaveAttribute('data-shrink', 'true');
  });

  it('requires a reason of at least 3 characters', async () => {
    await renderStagingForm({});
    await fillForm('ok');
    await userEvent.tab();
    expect(screen.getByText('Say why, in at least 3 characters.')).toBeVisible();
    expect(screen.getByLabelText(/Reason/)).toHaveAttribute('aria-invalid', 'true');
    expect(screen.getByRole('button', { name: 'Request the upgrade' })).toBeDisabled();
    await userEvent.type(screen.getByLabelText(/Reason/), '!');
    expect(screen.getByRole('button', { name: 'Request the upgrade' })).toBeEnabled();
  });

  it('creates the request and shows it', async () => {
    const created = upgradeRequestFixture('staging', {
      targetVersion: 'v1.1.0-eksbuild.1',
      target: 'v1.1.0-eksbuild.1',
    });
    const createRequest = jest.fn(async () => created);
    const onCreated = jest.fn();
    await renderStagingForm({ createRequest }, onCreated);
    await fillForm('  Pick up the TLS rotation fix  ');
    await userEvent.click(screen.getByRole('button', { name: 'Request the upgrade' }));

    expect(createRequest).toHaveBeenCalledWith({
      cluster: STAGING,
      addonName: INFERENCE_ADDON,
      target: 'v1.1.0-eksbuild.1',
      reason: 'Pick up the TLS rotation fix',
    });
    expect(await screen.findByRole('status')).toHaveTextContent(
      `Requested: ${INFERENCE_ADDON} v1.0.0-eksbuild.1 → v1.1.0-eksbuild.1 (request ${created.id}, state requested)`,
    );
    expect(onCreated).toHaveBeenCalledWith(created);
    expect(screen.getByLabelText(/Reason/)).toHaveValue('');
    // The submit button was disabled while sending: focus goes to what happened, not the body.
    expect(document.activeElement).not.toBe(document.body);
    expect(document.activeElement).toContainElement(screen.getByRole('status'));
  });

  it.each([
    [
      400,
      'InputError',
      `cannot upgrade ${INFERENCE_ADDON} on ml-staging-usw2 to v1.1.0-eksbuild.1: configurationValues are not valid for v1.1.0-eksbuild.1: /executionRoleArn must match pattern "^arn:aws:iam::"`,
      'Refused (400)',
    ],
    [
      409,
      'ConflictError',
      `${INFERENCE_ADDON} on ml-staging-usw2 already has an open request 0f8e6c1a-3b9d-4e51-9a7c-2d4b8f1e6a30 (requested); cancel it or wait for it`,
      'Conflict (409)',
    ],
  ])("shows the backend's %s message", async (status, name, message, words) => {
    const onCreated = jest.fn();
    const createRequest = jest.fn(async () => {
      throw await backendError(status, name, message);
    });
    await renderStagingForm({ createRequest }, onCreated);
    await fillForm('Pick up the TLS rotation fix');
    await userEvent.click(screen.getByRole('button', { name: 'Request the upgrade' }));

    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('The upgrade request was refused');
    expect(alert).toHaveTextContent(`${words}: ${message}`);
    expect(onCreated).not.toHaveBeenCalled();
    expect(document.activeElement).toContainElement(alert);
    // What was typed stays, to be corrected.
    expect(screen.getByLabelText(/Reason/)).toHaveValue('Pick up the TLS rotation fix');
  });

  it('says there is nothing to upgrade on a cluster with only Helm installs', async () => {
    const prod = demoReport('prod');
    const report: ClusterReport = { ...prod, addons: prod.addons.filter((a) => !a.addon) };
    await renderWithApis(<UpgradeRequestForm clusterId={STAGING} report={report} />, {
      api: fakeHyperpodApi({}),
    });
    expect(
      await screen.findByText(
        /No EKS add-on is installed on this cluster, so there is nothing to upgrade/,
      ),
    ).toBeVisible();
  });
});

describe('upgradeTargets and reasonProblem', () => {
  it('keeps newer compatible versions, by the eksbuild number too', () => {
    expect(
      upgradeTargets(
        {
          ...INFERENCE_VERSIONS,
          installed: 'v1.0.1-eksbuild.1',
          compatible: ['v1.0.1-eksbuild.10', 'v1.0.1-eksbuild.9', 'v1.0.1-eksbuild.1'],
          default: 'v1.0.1-eksbuild.9',
          latest: 'v1.0.1-eksbuild.10',
        },
        undefined,
      ),
    ).toEqual([
      { version: 'v1.0.1-eksbuild.10', label: 'v1.0.1-eksbuild.10 (latest)' },
      { version: 'v1.0.1-eksbuild.9', label: 'v1.0.1-eksbuild.9 (default)' },
    ]);
  });

  it('counts the trimmed reason against 3..2000 characters', () => {
    expect(reasonProblem('  ab  ')).toBe('Say why, in at least 3 characters.');
    expect(reasonProblem('abc')).toBeUndefined();
    expect(reasonProblem('x'.repeat(2000))).toBeUndefined();
    expect(reasonProblem('x'.repeat(2001))).toBe('At most 2000 characters (2001 now).');
  });
});
