/**
 * The Kubernetes scenario: the KOSMOS example (examples/kosmos, 31 services in 8 waves) booted twice on the local
 * cluster, each copy in a namespace of its own: one by `bootwave up`, one by `kubectl apply`. The edit is a new
 * image tag of the zeus Deployment (wave 7). bootwave applies it with `bootwave update` of the plan (the diff of
 * all 31 services, then the changed objects applied and `rollout status`); the peer with `kubectl apply` of the
 * edited file (or of the whole manifests folder) and `kubectl rollout status deployment/zeus`.
 * The cluster is kwok: its pods are fake and serve nothing, so no client can poll them: time only.
 */
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { isMap, parseDocument } from 'yaml';
import type { BootwaveDev } from './dev-server';
import type { UpdateRun } from './measure';
import { updateSpans } from './update-span';
import { bootwave, bootwaveUpdate, repoRoot, run, updateLabel, updateReport, type Ran } from './tools';

const kubectlBin = () => process.env.KUBECTL || 'kubectl';
const kubectl = (args: string[]): Promise<Ran> => run(kubectlBin(), args);

/** A copy of examples/kosmos in `namespace`, with the plan named `name` and its in-cluster checks removed. */
function kosmosCopy(dir: string, namespace: string, name: string): { planFile: string; manifests: string } {
  cpSync(join(repoRoot, 'examples', 'kosmos'), dir, { recursive: true });
  const manifests = join(dir, 'manifests');
  for (const wave of readdirSync(manifests))
    for (const file of readdirSync(join(manifests, wave))) {
      const path = join(manifests, wave, file);
      writeFileSync(
        path,
        readFileSync(path, 'utf8')
          .replace(/^(\s*)namespace: kosmos$/gm, `$1namespace: ${namespace}`)
          .replace(/^(kind: Namespace\nmetadata:\n\s+name:) kosmos$/m, `$1 ${namespace}`),
      );
    }
  const planFile = join(dir, 'plan.yaml');
  const doc = parseDocument(readFileSync(planFile, 'utf8'));
  doc.set('name', name);
  const services = doc.get('services');
  if (!isMap(services)) throw new Error(`${planFile}: no services map`);
  for (const { key } of services.items) {
    doc.setIn(['services', key, 'kubernetes', 'namespace'], namespace);
    // Its checks name cluster DNS names (`*.kosmos.svc`) that do not resolve here: readiness is rollout status.
    doc.deleteIn(['services', key, 'health']);
  }
  writeFileSync(planFile, doc.toString());
  return { planFile, manifests };
}

/** Sets the zeus Deployment's image tag: the change both tools roll out. */
function setZeusTag(manifests: string, tag: number, file = join(manifests, 'wave-7', 'zeus.yaml')): void {
  const text = readFileSync(file, 'utf8');
  const next = text.replace(/(image: registry\.local\/kosmos\/zeus:)\S+/, `$1${tag}`);
  if (next === text && !text.includes(`zeus:${tag}`)) throw new Error(`${file}: no zeus image line`);
  writeFileSync(file, next);
}

/**
 * The same change for bootwave: the edited Deployment in a new file, `wave-7/zeus-<tag>.yaml`, which the plan's
 * zeus entry now names. `bootwave update` hashes a service's definition, and for a Kubernetes target that holds
 * the manifest paths, not what the files contain: an edit in place is not seen (`0 changed`; see `inPlaceDiff`).
 */
function pointZeusAt(planFile: string, manifests: string, tag: number): void {
  const file = join(manifests, 'wave-7', `zeus-${tag}.yaml`);
  cpSync(join(manifests, 'wave-7', 'zeus.yaml'), file);
  setZeusTag(manifests, tag, file);
  const doc = parseDocument(readFileSync(planFile, 'utf8'));
  doc.setIn(
    ['services', 'zeus', 'kubernetes', 'manifests'],
    doc.createNode([`manifests/wave-7/zeus-${tag}.yaml`], { flow: true }),
  );
  writeFileSync(planFile, doc.toString());
}

async function zeusImage(namespace: string): Promise<string> {
  const ran = await kubectl([
    'get',
    'deployment',
    'zeus',
    '-n',
    namespace,
    '-o',
    'jsonpath={.spec.template.spec.containers[0].image}',
  ]);
  return ran.out.trim();
}

export interface KosmosStand {
  /** `bootwave update --dry-run` after an in-place edit of zeus.yaml: its diff line (the tag is put back after). */
  inPlaceDiff(): Promise<string>;
  bootwaveUpdate(flags: string[], n: number): Promise<UpdateRun>;
  kubectlUpdate(scope: 'file' | 'folder', n: number): Promise<UpdateRun>;
  remove(): Promise<void>;
}

/** Boots both copies (not timed) and answers the two ways of rolling the change out. */
export async function kosmosStand(dev: BootwaveDev): Promise<KosmosStand> {
  const dir = mkdtempSync(join(tmpdir(), 'bwupd-kosmos-'));
  const bwNamespace = `bwupd-bw-${process.pid}`;
  const kcNamespace = `bwupd-kc-${process.pid}`;
  const bwPlan = `bwupd-kosmos-${process.pid}`;
  const bw = kosmosCopy(join(dir, 'bootwave'), bwNamespace, bwPlan);
  const kc = kosmosCopy(join(dir, 'kubectl'), kcNamespace, `bwupd-kosmos-kubectl-${process.pid}`);
  let bwTag = 1;
  let kcTag = 1;
  const started: string[] = [];
  const remove = async () => {
    if (started.includes('bootwave')) await bootwave(['down', bw.planFile], dev.env).catch(() => undefined);
    for (const ns of [bwNamespace, kcNamespace])
      await kubectl(['delete', 'namespace', ns, '--ignore-not-found', '--wait=false']).catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    started.push('bootwave');
    await bootwave(['up', bw.planFile], dev.env);
    // The Namespace first: `apply -R` takes the files in name order (see bench/kubernetes/kubectl-waves.sh).
    await kubectl(['apply', '-f', join(kc.manifests, 'wave-0', 'namespace.yaml')]);
    await kubectl(['apply', '-R', '-f', kc.manifests]);
    await kubectl(['rollout', 'status', 'deployment/zeus', '-n', kcNamespace, '--timeout=300s']);
  } catch (error) {
    await remove();
    throw error;
  }
  return {
    async inPlaceDiff() {
      const file = join(bw.manifests, 'wave-7', 'zeus.yaml');
      const before = readFileSync(file, 'utf8');
      setZeusTag(bw.manifests, 999);
      try {
        const ran = await bootwave(['update', bw.planFile, '--dry-run'], dev.env);
        return ran.out.split('\n').find((l) => l.startsWith('plan ')) ?? ran.out;
      } finally {
        writeFileSync(file, before);
      }
    },
    async bootwaveUpdate(flags, n) {
      bwTag++;
      pointZeusAt(bw.planFile, bw.manifests, bwTag);
      const load1 = loadavg()[0]!;
      const ran = await bootwaveUpdate(bw.planFile, flags, dev.env);
      const report = Object.fromEntries(updateReport(ran.out));
      if (Object.keys(report).join() !== 'zeus') throw new Error(`bootwave update changed more than zeus:\n${ran.out}`);
      const image = await zeusImage(bwNamespace);
      if (!image.endsWith(`:${bwTag}`)) throw new Error(`zeus runs ${image} after bootwave update, not tag ${bwTag}`);
      const wallMs = ran.endedAtMs - ran.startedAtMs;
      const spans = await updateSpans(dev.address, bwPlan, ran);
      return {
        scenario: 'kubernetes',
        tool: updateLabel(flags),
        run: n,
        wallMs,
        newVersionMs: {},
        polls: [],
        report,
        spans,
        load1,
      };
    },
    async kubectlUpdate(scope, n) {
      kcTag++;
      setZeusTag(kc.manifests, kcTag);
      const load1 = loadavg()[0]!;
      const apply =
        scope === 'file'
          ? ['apply', '-f', join(kc.manifests, 'wave-7', 'zeus.yaml')]
          : ['apply', '-R', '-f', kc.manifests];
      const applied = await kubectl(apply);
      const status = await kubectl(['rollout', 'status', 'deployment/zeus', '-n', kcNamespace, '--timeout=300s']);
      const image = await zeusImage(kcNamespace);
      if (!image.endsWith(`:${kcTag}`)) throw new Error(`zeus runs ${image} after kubectl apply, not tag ${kcTag}`);
      const what = scope === 'file' ? '-f zeus.yaml' : '-R -f manifests/';
      return {
        scenario: 'kubernetes',
        tool: `\`kubectl apply ${what}\` + \`kubectl rollout status deployment/zeus\``,
        run: n,
        wallMs: status.endedAtMs - applied.startedAtMs,
        newVersionMs: {},
        polls: [],
        load1,
      };
    },
    remove,
  };
}
