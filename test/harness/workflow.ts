// Runs real workflows in-process with n8n-core's WorkflowExecute, with the package loaded from
// dist/ exactly as n8n loads a community package.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

import { ExecutionLifecycleHooks, LoadOptionsContext, PackageDirectoryLoader, WorkflowExecute } from 'n8n-core';
import {
	NodeHelpers,
	Workflow,
	type IConnections,
	type IDataObject,
	type IExecuteFunctions,
	type INode,
	type INodeExecutionData,
	type INodeListSearchResult,
	type INodeType,
	type INodeTypes,
	type IRun,
	type IVersionedNodeType,
	type IWorkflowExecuteAdditionalData,
	type INodeTypeDescription,
	type INodeParameters,
	type INodePropertyOptions,
	type IWorkflowBase,
} from 'n8n-workflow';

import { CredentialStore, CredentialTypeRegistry, TestCredentialsHelper } from './credentials';
import { DeduplicationStore, installDeduplicationStore } from './deduplication';

export const PACKAGE_NAME = 'n8n-nodes-wechat-mass';
export const PACKAGE_ROOT = findPackageRoot(__dirname);

/** The folder of this package's package.json, whether this file runs from test/ or compiled elsewhere. */
function findPackageRoot(start: string): string {
	for (let dir = start; dir !== dirname(dir); dir = dirname(dir)) {
		const manifest = join(dir, 'package.json');
		if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === PACKAGE_NAME) return dir;
	}
	throw new Error(`No ${PACKAGE_NAME} package.json above ${start}`);
}
export const MASS_NODE_TYPE = `${PACKAGE_NAME}.weChatMassMessage`;
export const CREDENTIAL_TYPE = 'weChatOfficialAccountApi';

/** Emits the JSON of its `items` parameter (and optional base64 binaries): the start of test workflows. */
class TestInputNode implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Test Input',
		name: 'testInput',
		group: ['input'],
		version: 1,
		description: 'Emits fixed items',
		defaults: { name: 'Input' },
		inputs: ['main'],
		outputs: ['main'],
		properties: [{ displayName: 'Items', name: 'items', type: 'json', default: '[]' }],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const raw = this.getNodeParameter('items', 0) as string;
		const items = JSON.parse(raw) as Array<{ json: IDataObject; binary?: Record<string, { data: string; mimeType: string; fileName?: string }> }>;
		return [items.map((item, index) => ({ json: item.json, binary: item.binary, pairedItem: { item: index } } as INodeExecutionData))];
	}
}

class NodeTypeRegistry implements INodeTypes {
	private readonly types = new Map<string, INodeType | IVersionedNodeType>();

	add(name: string, type: INodeType | IVersionedNodeType): void {
		this.types.set(name, type);
	}

	getByName(name: string): INodeType | IVersionedNodeType {
		const type = this.types.get(name);
		if (!type) throw new Error(`Unknown node type ${name}`);
		return type;
	}

	getByNameAndVersion(name: string, version?: number): INodeType {
		return NodeHelpers.getVersionedNodeType(this.getByName(name), version);
	}

	getKnownTypes(): IDataObject {
		return {};
	}
}

export interface LoadedPackage {
	nodeTypes: NodeTypeRegistry;
	credentialTypes: CredentialTypeRegistry;
	loader: PackageDirectoryLoader;
}

/** The instance URLs n8n-core needs in additionalData (they must be absolute). */
export const N8N_INSTANCE_URLS = {
	restApiUrl: 'http://localhost:5678/rest',
	instanceBaseUrl: 'http://localhost:5678/',
	formBaseUrl: 'http://localhost:5678/form',
	formWaitingBaseUrl: 'http://localhost:5678/form-waiting',
	formTestBaseUrl: 'http://localhost:5678/form-test',
	webhookBaseUrl: 'http://localhost:5678/webhook',
	webhookWaitingBaseUrl: 'http://localhost:5678/webhook-waiting',
	webhookTestBaseUrl: 'http://localhost:5678/webhook-test',
	mcpBaseUrl: 'http://localhost:5678/mcp',
	mcpTestBaseUrl: 'http://localhost:5678/mcp-test',
};

let loaded: Promise<LoadedPackage> | undefined;

/** Loads dist/ through n8n-core's PackageDirectoryLoader, as n8n does for an installed package. */
export function loadPackage(): Promise<LoadedPackage> {
	loaded ??= (async () => {
		const loader = new PackageDirectoryLoader(PACKAGE_ROOT);
		await loader.loadAll();
		const nodeTypes = new NodeTypeRegistry();
		for (const [name, { type }] of Object.entries(loader.nodeTypes)) nodeTypes.add(`${PACKAGE_NAME}.${name}`, type);
		nodeTypes.add('test.input', new TestInputNode());
		const credentialTypes = new CredentialTypeRegistry();
		for (const { type } of Object.values(loader.credentialTypes)) credentialTypes.add(type);
		return { nodeTypes, credentialTypes, loader };
	})();
	return loaded;
}

/**
 * One n8n "process": its own credentials helper (and so its own memory), sharing only the
 * credential store with other processes, as queue-mode workers share n8n's database.
 */
export class N8nProcess {
	readonly helper: TestCredentialsHelper;
	private executions = 0;

	constructor(
		private readonly pkg: LoadedPackage,
		readonly store: CredentialStore,
	) {
		this.helper = new TestCredentialsHelper(pkg.credentialTypes, store);
	}

	/** Calls one of the node's loadOptions methods, as the editor does when a dropdown opens. */
	async loadOptions(method: string, parameters: IDataObject): Promise<INodePropertyOptions[]> {
		const { context, type } = this.editorContext(parameters, 1);
		return await type.methods!.loadOptions![method].call(context);
	}

	/** Calls one of the node's listSearch methods, as the editor does when a resource locator's list opens or is searched. */
	async listSearch(method: string, parameters: IDataObject, filter?: string, paginationToken?: string): Promise<INodeListSearchResult> {
		const { context, type } = this.editorContext(parameters, 2);
		return await type.methods!.listSearch![method].call(context, filter, paginationToken);
	}

	private editorContext(parameters: IDataObject, typeVersion: number) {
		const node = this.weChatNode({ parameters, typeVersion });
		const workflow = new Workflow({ id: 'wf-1', nodes: [node], connections: {}, active: false, nodeTypes: this.pkg.nodeTypes, staticData: {} });
		const context = new LoadOptionsContext(workflow, node, this.additionalData('load-options', workflow), 'parameters');
		return { context, type: this.pkg.nodeTypes.getByNameAndVersion(MASS_NODE_TYPE, typeVersion) };
	}

	private weChatNode(spec: Pick<WorkflowSpec, 'parameters' | 'credentialId' | 'continueOnFail' | 'nodeSettings' | 'typeVersion'>): INode {
		return {
			id: 'wechat',
			name: 'WeChat',
			type: MASS_NODE_TYPE,
			typeVersion: spec.typeVersion ?? 1,
			position: [200, 0],
			parameters: spec.parameters as INodeParameters,
			credentials: { [CREDENTIAL_TYPE]: { id: spec.credentialId ?? 'cred-1', name: 'WeChat test account' } },
			continueOnFail: spec.continueOnFail ?? false,
			...spec.nodeSettings,
		};
	}

	private additionalData(executionId: string, _workflow: Workflow, hooks?: ExecutionLifecycleHooks): IWorkflowExecuteAdditionalData {
		return { ...N8N_INSTANCE_URLS, credentialsHelper: this.helper, hooks, executionId, currentNodeExecutionIndex: 0, variables: {}, userId: 'user-1' } as unknown as IWorkflowExecuteAdditionalData;
	}

	async run(spec: WorkflowSpec): Promise<ExecutionResult> {
		const executionId = `exec-${++this.executions}-${Math.random().toString(36).slice(2, 8)}`;
		const input: INode = {
			id: 'input',
			name: 'Input',
			type: 'test.input',
			typeVersion: 1,
			position: [0, 0],
			parameters: { items: JSON.stringify(spec.items ?? [{ json: {} }]) },
		};
		const node = this.weChatNode(spec);
		const connections: IConnections = { Input: { main: [[{ node: 'WeChat', type: 'main', index: 0 }]] } };
		const workflowData = {
			id: spec.workflowId ?? 'wf-1',
			name: 'test workflow',
			nodes: [input, node],
			connections,
			active: false,
			settings: { executionOrder: 'v1' as const },
			createdAt: new Date(),
			updatedAt: new Date(),
			isArchived: false,
			activeVersionId: null,
		} as IWorkflowBase;
		const staticData = spec.savedStaticData ? (JSON.parse(JSON.stringify(spec.savedStaticData.data)) as IDataObject) : {};
		const workflow = new Workflow({ ...workflowData, nodeTypes: this.pkg.nodeTypes, staticData });
		const hooks = new ExecutionLifecycleHooks('manual', executionId, workflowData);
		const additionalData = this.additionalData(executionId, workflow, hooks);
		const running = new WorkflowExecute(additionalData, 'manual').run({ workflow, startNode: input });
		let stopped = false;
		void spec.stopWhen?.then(() => {
			stopped = true;
			running.cancel();
		});
		const run = await running;
		// As n8n does for production and CLI executions, failed ones too, but not for a stopped one.
		if (spec.savedStaticData && !stopped && (workflow.staticData as IDataObject & { __dataChanged?: boolean }).__dataChanged === true) {
			spec.savedStaticData.data = JSON.parse(JSON.stringify(workflow.staticData)) as IDataObject;
		}
		return new ExecutionResult(run);
	}
}

export interface WorkflowSpec {
	parameters: IDataObject;
	items?: Array<{ json: IDataObject; binary?: Record<string, { data: string; mimeType: string; fileName?: string }> }>;
	continueOnFail?: boolean;
	credentialId?: string;
	workflowId?: string;
	nodeSettings?: Partial<INode>;
	/** The WeChat node's version: 1 as saved before the Article and Tag pickers, 2 the latest. */
	typeVersion?: number;
	/**
	 * The workflow's static data as n8n keeps it in its database between production executions: read
	 * at the start, replaced by what the run left when it changed. Without it, a run starts with none
	 * and keeps none, as a manual run in the editor.
	 */
	savedStaticData?: { data: IDataObject };
	/** Stops the execution (as the editor's Stop button does) when this settles. */
	stopWhen?: Promise<unknown>;
}

export class ExecutionResult {
	constructor(readonly run: IRun) {}

	/** The WeChat node's output items. */
	get items(): INodeExecutionData[] {
		const runs = this.run.data.resultData.runData.WeChat;
		return runs?.[0]?.data?.main?.[0] ?? [];
	}

	get json(): IDataObject[] {
		return this.items.map((item) => item.json);
	}

	/** The execution hints the WeChat node added (n8n shows them in the output pane). */
	get hints(): Array<{ message: string; location?: string }> {
		return (this.run.data.resultData.runData.WeChat?.[0]?.hints ?? []) as Array<{ message: string; location?: string }>;
	}

	/** The error that stopped the execution, if any. */
	get error(): (Error & { description?: string; context?: IDataObject }) | undefined {
		return this.run.data.resultData.error as (Error & { description?: string }) | undefined;
	}
}

export interface TestEnvironment {
	pkg: LoadedPackage;
	store: CredentialStore;
	/** n8n's deduplication store (in n8n's database, shared by every execution and process). */
	deduplication: DeduplicationStore;
	n8n: N8nProcess;
}

/** A credential store holding one WeChat credential pointing at `baseUrl`, and one n8n process. */
export async function createEnvironment(credential: {
	baseUrl: string;
	appId: string;
	appSecret: string;
	grantEndpoint?: 'stable' | 'classic';
	/** Where QR Code > Create gets a code's image; `baseUrl` unless told. */
	qrCodeImageBaseUrl?: string;
}): Promise<TestEnvironment> {
	const pkg = await loadPackage();
	const store = new CredentialStore();
	store.put({
		id: 'cred-1',
		name: 'WeChat test account',
		type: CREDENTIAL_TYPE,
		data: { appId: credential.appId, appSecret: credential.appSecret, grantEndpoint: credential.grantEndpoint ?? 'stable', baseUrl: credential.baseUrl, qrCodeImageBaseUrl: credential.qrCodeImageBaseUrl ?? credential.baseUrl, accessToken: '' },
	});
	const deduplication = new DeduplicationStore();
	await installDeduplicationStore(deduplication);
	return { pkg, store, deduplication, n8n: new N8nProcess(pkg, store) };
}
