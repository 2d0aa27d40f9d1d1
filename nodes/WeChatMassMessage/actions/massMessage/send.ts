// What the two send operations share: the clientmsgid, the exactly-once call and the output item.
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { SendAllRequest, SendToOpenIdsRequest } from '../../helpers/types';
import { inputError } from '../../helpers/validation';
import { MAX_CLIENT_MSG_ID_BYTES, clientMsgIdForBatch, deriveClientMsgId, sendExactlyOnce } from '../../transport/exactlyOnceSend';
import type { SendSettings } from './messageContent';

/** Checks a user-given Client Message ID; an empty one is derived later. */
export function checkClientMsgId(this: IExecuteFunctions, settings: SendSettings, itemIndex: number): void {
	const bytes = Buffer.byteLength(settings.clientMsgId, 'utf8');
	if (bytes > MAX_CLIENT_MSG_ID_BYTES) {
		throw inputError.call(this, itemIndex, 'Client Message ID', `must be at most ${MAX_CLIENT_MSG_ID_BYTES} bytes, got ${bytes}`);
	}
}

/** The clientmsgid for one call: the user's key, or one derived from where this send sits in the workflow run. */
export function clientMsgIdFor(
	this: IExecuteFunctions,
	settings: SendSettings,
	scope: string | number,
	batchIndex: number,
	batchCount: number,
): string {
	if (settings.clientMsgId !== '') return clientMsgIdForBatch(settings.clientMsgId, batchIndex, batchCount);
	return deriveClientMsgId([this.getWorkflow().id ?? '', this.getExecutionId(), this.getNode().name, scope, batchIndex]);
}

/** Two items with the same key would make WeChat drop the second send as a duplicate of the first. */
export function checkClientMsgIdsDistinct(this: IExecuteFunctions, keys: Array<{ itemIndex: number; key: string }>): void {
	const firstItemOf = new Map<string, number>();
	for (const { itemIndex, key } of keys) {
		if (key === '') continue;
		const first = firstItemOf.get(key);
		if (first !== undefined) {
			throw inputError.call(
				this,
				itemIndex,
				'Client Message ID',
				`"${key}" is also the key of item ${first + 1}; WeChat would treat this send as a repeat of that one and skip it`,
			);
		}
		firstItemOf.set(key, itemIndex);
	}
}

export async function confirmSend(
	this: IExecuteFunctions,
	path: '/cgi-bin/message/mass/sendall' | '/cgi-bin/message/mass/send',
	body: SendAllRequest | SendToOpenIdsRequest,
	settings: SendSettings,
	itemIndex: number,
): Promise<IDataObject> {
	const confirmed = await sendExactlyOnce(
		this,
		path,
		body,
		{ confirmWithinMs: settings.confirmWithinSeconds * 1000, repeatWaitMs: settings.repeatWaitSeconds * 1000 },
		itemIndex,
	);
	return { ...confirmed.result, duplicate: confirmed.duplicate, clientMsgId: body.clientmsgid };
}
