// What scripts/e2e.sh hands every e2e file: the n8n under test (its Node and its bin) and the packed package.
export const runtime = {
	nodeBin: process.env.N8N_E2E_NODE ?? '',
	n8nBin: process.env.N8N_E2E_BIN ?? '',
	version: process.env.N8N_E2E_VERSION ?? '',
};
export const tarball = process.env.N8N_E2E_PACKAGE ?? '';

/** Fails the suite at once when it is run without scripts/e2e.sh. */
export function assertE2eRuntime(): void {
	if (!runtime.nodeBin || !runtime.n8nBin || !tarball) throw new Error('Run through scripts/e2e.sh, which installs n8n and packs the package');
}
