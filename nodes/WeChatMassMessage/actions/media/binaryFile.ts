// Reading a file from an input item's binary data and checking it against an upload's rules.
import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { type MediaFileRule, prepareMediaFile } from '../../helpers/mediaPayloads';
import { inputError } from '../../helpers/validation';
import type { MultipartFile } from '../../transport/multipart';

export function binaryFieldProperty(show: Record<string, string[]>): INodeProperties {
	return {
		displayName: 'Input Binary Field',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		required: true,
		hint: 'The name of the input binary field containing the file to be uploaded',
		description: 'The binary field of the input item that holds the file, e.g. from a Read/Write Files from Disk or an HTTP Request node',
		displayOptions: { show },
	};
}

/**
 * The file in binary field `propertyName` of item `itemIndex`, named and typed the way WeChat
 * recognises it; errors (no such field, wrong type, too large) name `fieldLabel` before any upload.
 */
export async function readBinaryFile(
	this: IExecuteFunctions,
	itemIndex: number,
	propertyName: string,
	fieldLabel: string,
	rule: MediaFileRule,
	defaultBaseName: string,
): Promise<MultipartFile> {
	const name = propertyName.trim();
	if (name === '') throw inputError.call(this, itemIndex, fieldLabel, 'is required');
	const available = Object.keys(this.getInputData()[itemIndex]?.binary ?? {});
	if (!available.includes(name)) {
		const found = available.length === 0 ? 'the item has no binary data' : `the item's binary fields are ${available.map((field) => `"${field}"`).join(', ')}`;
		throw inputError.call(this, itemIndex, fieldLabel, `expected the file in binary field "${name}", but ${found}`);
	}
	const binary = this.helpers.assertBinaryData(itemIndex, name);
	const data = await this.helpers.getBinaryDataBuffer(itemIndex, name);
	const file = prepareMediaFile(rule, { fileName: binary.fileName, fileExtension: binary.fileExtension, mimeType: binary.mimeType, size: data.length }, defaultBaseName);
	if (!file.ok) throw inputError.call(this, itemIndex, fieldLabel, file.problem);
	return { fieldName: 'media', fileName: file.fileName, contentType: file.contentType, data };
}
