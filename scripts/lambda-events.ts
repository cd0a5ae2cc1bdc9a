/**
 * First invocations that need no cloud: what `npm run package` smoke-tests each bundle with and what the cold-start
 * benchmark times. Functions without an entry are scheduled ones, invoked with an EventBridge-shaped event.
 */
export const FIRST_EVENTS: Record<string, unknown> = {
  api: { version: '2.0', routeKey: '$default', rawPath: '/healthz', rawQueryString: '', headers: { host: 'local' }, requestContext: { http: { method: 'GET', path: '/healthz', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'local' }, requestId: 'local', routeKey: '$default', stage: '$default', domainName: 'local', timeEpoch: 0 }, isBase64Encoded: false },
  collectAws: { Records: [] },
  collectGcp: { Records: [] },
  collectAzure: { Records: [] },
  analyze: { Records: [] },
};

/** The environment a bundle runs with locally: the packaged layout under `root`, DynamoDB and S3 on loopback. */
export function localLambdaEnv(input: { root: string; bundle: string; event: unknown; configFile: string; dynamodbEndpoint: string; s3Endpoint: string; table: string }): Record<string, string | undefined> {
  return {
    PATH: process.env['PATH'],
    BUNDLE: input.bundle,
    EVENT: JSON.stringify(input.event ?? { source: 'aws.events' }),
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    RIGHTSIZE_CONFIG: input.configFile,
    RIGHTSIZE_CATALOG_DIR: `${input.root}/data`,
    RIGHTSIZE_STORE: 'dynamodb',
    RIGHTSIZE_TABLE: input.table,
    RIGHTSIZE_BUCKET: input.table,
    RIGHTSIZE_API_TOKENS: 'local-token',
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'S3RVER',
    AWS_SECRET_ACCESS_KEY: 'S3RVER',
    AWS_ENDPOINT_URL_DYNAMODB: input.dynamodbEndpoint,
    AWS_ENDPOINT_URL_S3: input.s3Endpoint,
    AWS_EC2_METADATA_DISABLED: 'true',
  };
}
