import type {
	ICredentialDataDecryptedObject,
	ICredentialsDecrypted,
	ICredentialTestFunctions,
	IHookFunctions,
	INode,
	INodeCredentialTestResult,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { WECHAT_CONSOLE } from '../WeChatMassMessage/helpers/weChatConsole';
import { answerUrlVerification, receiveCallback, type CallbackPolicy } from './callbackHandler';
import { CALLBACK_CREDENTIAL_TYPE, describeCredentialProblems, toCallbackSettings } from './callbackCredential';
import { ReplayMemory, type ReplayState, processReplayState } from './replayMemory';
import type { CallbackReply, CallbackRequest, CallbackResponse, CallbackSettings, EventFilter } from './types';

function readSettings(node: INode, data: ICredentialDataDecryptedObject): CallbackSettings {
	const result = toCallbackSettings(data);
	if (!result.ok) {
		throw new NodeOperationError(node, `The WeChat callback credential cannot be used: ${result.problems.join('; ')}`);
	}
	return result.settings;
}

/**
 * The panel's set-up steps, as a list: n8n renders a notice's HTML, keeping only links and lists in
 * 2.x (its notice allows the tags a, ul and li; 1.x allows more). WeChat calls only public
 * http URLs on port 80 and https URLs on port 443 ("必须以 http:// 或 https:// 开头，分别支持 80 端口和
 * 443 端口", https://developers.weixin.qq.com/doc/service/guide/dev/push/), configured on the WeChat
 * Developer Platform (see WECHAT_CONSOLE).
 */
const SETUP_STEPS = [
	'1. Make n8n reachable from the internet on port 80 (http) or 443 (https): WeChat calls no other port, and no localhost or private address. Set n8n\'s WEBHOOK_URL to that public address (e.g. https://n8n.example.com/) so the URLs above show it; while they show localhost or :5678, WeChat cannot call them.',
	'2. Publish this workflow (n8n 2.x: Publish; n8n 1.x: the Active switch): WeChat needs the Production URL, which answers only then.',
	'3. Copy the Production URL: open Webhook URLs at the top of this panel and choose Production URL.',
	`4. In the ${WECHAT_CONSOLE.messagePush}, enter that URL with the Token, EncodingAESKey and encryption mode of this trigger's credential, submit (WeChat calls the URL to check it), then enable it. Enabling it turns off the auto-replies and custom menu set in the Official Accounts Platform (自动回复, 自定义菜单).`,
];
const SETUP_NOTICE = `To connect WeChat:<ul>${SETUP_STEPS.map((step) => `<li>${step}</li>`).join('')}</ul>`;

/** Seconds: WeChat retries within about 15 s, and clocks drift a little. */
const DEFAULT_MAX_MESSAGE_AGE = 300;

function writeReply(response: CallbackResponse, reply: CallbackReply): void {
	response.statusCode = reply.status;
	response.setHeader('Content-Type', 'text/plain; charset=utf-8');
	response.setHeader('X-Content-Type-Options', 'nosniff');
	response.end(reply.body);
}

export class WeChatMassMessageTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'WeChat Mass Message Trigger',
		name: 'weChatMassMessageTrigger',
		icon: { light: 'file:wechat.svg', dark: 'file:wechat.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle:
			'={{ {"all": "All events", "publishJobFinish": "Publish finished", "massOrPublishFinished": "Mass send or publish finished", "subscribe": "Follower subscribed", "unsubscribe": "Follower unsubscribed", "scan": "QR code scanned", "subscribeOrScan": "Subscribed or QR code scanned"}[$parameter["events"]] || "Mass send finished" }}',
		// n8n's nodes panel merges this trigger with WeChat Mass Message into one entry that shows this
		// description (not the action node's), so it speaks of both.
		description: 'Send WeChat Official Account mass messages and manage drafts, media, tags, followers and QR codes; start workflows when a send or publish finishes, or a follower follows, unfollows or scans a QR code',
		defaults: { name: 'WeChat Mass Message Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'weChatCallbackApi', required: true, testedBy: 'weChatCallbackCredentialTest' }],
		webhooks: [
			{ name: 'setup', httpMethod: 'GET', responseMode: 'onReceived', path: 'webhook' },
			{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'webhook' },
		],
		properties: [
			{
				displayName: SETUP_NOTICE,
				name: 'setupNotice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Events',
				name: 'events',
				type: 'options',
				default: 'massSendJobFinish',
				options: [
					{
						name: 'All Events and Messages',
						value: 'all',
						description: 'Everything WeChat pushes to the URL: subscribe, click, messages from followers, and more',
					},
					{
						name: 'Follower Subscribed',
						value: 'subscribe',
						description: 'When someone follows the account (subscribe); the scene of the QR code they followed through, if any',
					},
					{
						name: 'Follower Subscribed or QR Code Scanned',
						value: 'subscribeOrScan',
						description: 'When someone follows the account or a follower scans a QR code: who came through which campaign',
					},
					{
						name: 'Follower Unsubscribed',
						value: 'unsubscribe',
						description: 'When a follower unfollows the account (unsubscribe)',
					},
					{
						name: 'Mass Send Finished',
						value: 'massSendJobFinish',
						description: 'Only when a mass send has finished, failed or been stopped by a review (the MASSSENDJOBFINISH event)',
					},
					{
						name: 'Mass Send or Publish Finished',
						value: 'massOrPublishFinished',
						description: 'When a mass send or a publish has finished; the output\'s event field says which',
					},
					{
						name: 'Publish Finished',
						value: 'publishJobFinish',
						description: 'Only when a Draft > Publish has finished: published, or failed with the reason (the PUBLISHJOBFINISH event)',
					},
					{
						name: 'QR Code Scanned',
						value: 'scan',
						description: 'When someone who already follows the account scans a QR code with a scene (SCAN)',
					},
				],
			},
			{
				displayName: 'Max Message Age (Seconds)',
				name: 'maxMessageAge',
				type: 'number',
				typeOptions: { minValue: 0, numberPrecision: 0 },
				default: DEFAULT_MAX_MESSAGE_AGE,
				description:
					'Refuse requests whose timestamp is further than this from the current time, so a captured request cannot be replayed later. WeChat retries a delivery within seconds, and clocks drift: keep a few minutes. 0 turns the check off (not recommended).',
				hint: 'The n8n server\'s clock must be right (NTP): requests more than this many seconds off are refused',
			},
		],
	};

	methods = {
		credentialTest: {
			async weChatCallbackCredentialTest(
				this: ICredentialTestFunctions,
				credential: ICredentialsDecrypted,
			): Promise<INodeCredentialTestResult> {
				const problems = describeCredentialProblems(credential.data ?? {});
				if (problems.length > 0) return { status: 'Error', message: `Not what WeChat's console accepts: ${problems.join('; ')}` };
				return {
					status: 'OK',
					message: 'The values have the format WeChat uses. WeChat checks them against this trigger when the message push configuration is submitted.',
				};
			},
		},
	};

	// The URL, Token and EncodingAESKey are entered in WeChat's console, so there is nothing to
	// register with WeChat. Activation still checks that the credential can verify WeChat's requests.
	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				return false;
			},
			async create(this: IHookFunctions): Promise<boolean> {
				readSettings(this.getNode(), await this.getCredentials(CALLBACK_CREDENTIAL_TYPE));
				return true;
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				return true;
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const settings = readSettings(this.getNode(), await this.getCredentials(CALLBACK_CREDENTIAL_TYPE));
		const eventFilter = readEventFilter(this.getNodeParameter('events', 'massSendJobFinish'));
		const maxMessageAge = this.getNodeParameter('maxMessageAge', DEFAULT_MAX_MESSAGE_AGE);
		const nowSeconds = Math.floor(Date.now() / 1000);
		const policy: CallbackPolicy = {
			settings,
			eventFilter,
			maxMessageAgeSeconds: typeof maxMessageAge === 'number' && maxMessageAge > 0 ? maxMessageAge : 0,
			nowSeconds,
			// n8n stores a workflow's static data with the workflow, where every process of a queue-mode setup reads it.
			memory: new ReplayMemory(
				this.getWorkflowStaticData('node') as ReplayState,
				processReplayState(`${this.getWorkflow().id ?? ''}:${this.getNode().id}`),
				nowSeconds,
			),
		};

		const query = this.getQueryData();
		const outcome =
			this.getWebhookName() === 'setup'
				? answerUrlVerification(query, policy)
				: receiveCallback(query, this.getRequestObject() as CallbackRequest, policy);

		writeReply(this.getResponseObject() as CallbackResponse, outcome.reply);
		if (outcome.output === undefined) return { noWebhookResponse: true };
		return { noWebhookResponse: true, workflowData: [this.helpers.returnJsonArray([outcome.output])] };
	}
}

const EVENT_FILTERS: readonly EventFilter[] = ['massSendJobFinish', 'publishJobFinish', 'massOrPublishFinished', 'subscribe', 'unsubscribe', 'scan', 'subscribeOrScan', 'all'];

function readEventFilter(value: unknown): EventFilter {
	return EVENT_FILTERS.find((filter) => filter === value) ?? 'massSendJobFinish';
}
