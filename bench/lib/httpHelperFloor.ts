// The least any n8n node can do for a Get Status item with this package's credential: read the
// message ID parameter and make one call through n8n-core's httpRequestWithAuthentication (which
// runs the credential's preAuthentication and authenticate, then n8n's HTTP client). The benchmark
// runs it in place of the WeChat node, under the same name, to separate what n8n-core costs per
// item from what the node adds on top.
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeType } from 'n8n-workflow';

import { CREDENTIAL_TYPE, MASS_NODE_TYPE, loadPackage } from '../../test/harness/workflow';

function floorNodeType(real: INodeType): INodeType {
	return {
		description: real.description,
		async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
			const items = this.getInputData();
			const credentials = await this.getCredentials(CREDENTIAL_TYPE);
			const url = `${String(credentials.baseUrl).replace(/\/+$/, '')}/cgi-bin/message/mass/get`;
			const output: INodeExecutionData[] = [];
			for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
				const msgId = Number(this.getNodeParameter('messageId', itemIndex));
				const response = (await this.helpers.httpRequestWithAuthentication.call(this, CREDENTIAL_TYPE, {
					method: 'POST',
					url,
					body: { msg_id: msgId },
					json: true,
				})) as IDataObject;
				output.push({ json: response, pairedItem: { item: itemIndex } });
			}
			return [output];
		},
	};
}

/** Runs `work` with the floor node registered in place of the WeChat Mass Message node. */
export async function withHttpHelperFloor<T>(work: () => Promise<T>): Promise<T> {
	const pkg = await loadPackage();
	const real = pkg.nodeTypes.getByNameAndVersion(MASS_NODE_TYPE, 1);
	pkg.nodeTypes.add(MASS_NODE_TYPE, floorNodeType(real));
	try {
		return await work();
	} finally {
		pkg.nodeTypes.add(MASS_NODE_TYPE, real);
	}
}
