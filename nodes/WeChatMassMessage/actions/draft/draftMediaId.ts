import type { IExecuteFunctions } from 'n8n-workflow';

import { inputError } from '../../helpers/validation';
import { readLocatorValue } from '../versions';

export function readDraftMediaId(this: IExecuteFunctions, itemIndex: number): string {
	const mediaId = readLocatorValue(this.getNodeParameter('draftMediaId', itemIndex, '', { extractValue: true }));
	if (mediaId === '') throw inputError.call(this, itemIndex, 'Draft', 'choose a draft, or give its media ID');
	return mediaId;
}
