// Workflows for the end-to-end tests, as n8n stores them: Manual Trigger → (rows) → WeChat node(s),
// and the example workflows of examples/ with the test credentials attached.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const WECHAT_CREDENTIAL = { id: 'wechatE2eCredential1', name: 'WeChat (fake server)' };
export const CALLBACK_CREDENTIAL = { id: 'wechatE2eCallback01', name: 'WeChat callback (test)' };

type Parameters = Record<string, unknown>;

/** The two credentials as `n8n import:credentials` takes them: the WeChat API at `wechat`, the callback of `account`. */
export function testCredentials(
	wechat: { appId: string; appSecret: string; baseUrl: string },
	account: { appId: string; token: string; encodingAesKey: string },
): object[] {
	return [
		{
			...WECHAT_CREDENTIAL,
			type: 'weChatOfficialAccountApi',
			data: { appId: wechat.appId, appSecret: wechat.appSecret, grantEndpoint: 'stable', baseUrl: wechat.baseUrl, qrCodeImageBaseUrl: wechat.baseUrl, accessToken: '' },
		},
		{
			...CALLBACK_CREDENTIAL,
			type: 'weChatCallbackApi',
			data: { appId: account.appId, token: account.token, encryptionMode: 'safe', encodingAesSecretKey: account.encodingAesKey },
		},
	];
}

interface WorkflowNode {
	id: string;
	name: string;
	type: string;
	typeVersion: number;
	position: [number, number];
	parameters: Parameters;
	credentials?: Record<string, { id: string; name: string }>;
	webhookId?: string;
	notes?: string;
	retryOnFail?: boolean;
	executeOnce?: boolean;
	maxTries?: number;
	waitBetweenTries?: number;
}

export interface Workflow {
	id: string;
	name: string;
	active: boolean;
	nodes: WorkflowNode[];
	connections: Record<string, { main: Array<Array<{ node: string; type: 'main'; index: number }>> }>;
	settings: { executionOrder: 'v1' };
}

export function weChatNode(name: string, parameters: Parameters): WorkflowNode {
	return {
		id: `node-${name.replace(/\W/g, '-')}`,
		name,
		type: 'n8n-nodes-wechat-mass.weChatMassMessage',
		typeVersion: 1,
		position: [0, 0],
		parameters,
		credentials: { weChatOfficialAccountApi: WECHAT_CREDENTIAL },
	};
}

/** A Set node that outputs `{ rows }` and a Split Out node that turns the rows into items. */
function rowNodes(rows: object[]): WorkflowNode[] {
	return [
		{
			id: 'node-rows',
			name: 'Rows',
			type: 'n8n-nodes-base.set',
			typeVersion: 3.4,
			position: [0, 0],
			parameters: { mode: 'raw', jsonOutput: JSON.stringify({ rows }), options: {} },
		},
		{
			id: 'node-split',
			name: 'Split Rows',
			type: 'n8n-nodes-base.splitOut',
			typeVersion: 1,
			position: [0, 0],
			parameters: { fieldToSplitOut: 'rows', options: {} },
		},
	];
}

/** An HTTP Request node that reads rows (a JSON array, one item each) from `url`, as from a sheet's API. */
export function rowsFromUrlNode(name: string, url: string): WorkflowNode {
	return { id: `node-${name.replace(/\W/g, '-')}`, name, type: 'n8n-nodes-base.httpRequest', typeVersion: 4.2, position: [0, 0], parameters: { url, options: {} } };
}

/** A file made from text, for the upload operations (WeChat judges uploads by their file name). */
export function fileNode(name: string, fileName: string, text: string): WorkflowNode {
	return {
		id: `node-${name.replace(/\W/g, '-')}`,
		name,
		type: 'n8n-nodes-base.convertToFile',
		typeVersion: 1.1,
		position: [0, 0],
		parameters: { operation: 'toText', sourceProperty: 'content', options: { fileName } },
	};
}

/** Manual Trigger → [rows →] nodes, in a chain. */
export function chain(id: string, nodes: WorkflowNode[], rows?: object[]): Workflow {
	const all: WorkflowNode[] = [
		{ id: 'node-start', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
		...(rows ? rowNodes(rows) : []),
		...nodes,
	];
	all.forEach((node, index) => (node.position = [index * 220, 0]));
	const connections: Workflow['connections'] = {};
	for (let index = 0; index < all.length - 1; index++) {
		connections[all[index].name] = { main: [[{ node: all[index + 1].name, type: 'main', index: 0 }]] };
	}
	return { id, name: `e2e ${id}`, active: false, nodes: all, connections, settings: { executionOrder: 'v1' } };
}

/**
 * examples/<file> as a user imports it, with the test credentials on its WeChat nodes; `rewrite`
 * edits the file's text first (e.g. to point its URLs at a local server).
 */
export function exampleWorkflow(file: string, id: string, rewrite: (text: string) => string = (text) => text): Workflow {
	const workflow = JSON.parse(rewrite(readFileSync(join(__dirname, '../../examples', file), 'utf8'))) as Omit<Workflow, 'id'>;
	for (const node of workflow.nodes) {
		if (node.type === 'n8n-nodes-wechat-mass.weChatMassMessage') node.credentials = { weChatOfficialAccountApi: WECHAT_CREDENTIAL };
		if (node.type === 'n8n-nodes-wechat-mass.weChatMassMessageTrigger') node.credentials = { weChatCallbackApi: CALLBACK_CREDENTIAL };
	}
	return { ...workflow, id };
}
