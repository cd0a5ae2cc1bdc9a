import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local server speaking the two AWS wire protocols the collector uses, for the real SDK clients:
 * EC2's Query protocol (form-encoded POST, XML responses shaped like the botocore fixtures in
 * test/fixtures/aws/) and CloudWatch's AWS JSON 1.0 protocol (X-Amz-Target GraniteServiceVersion20100801.*).
 * The region of each request is read from its SigV4 credential scope. Any request it does not expect is recorded
 * in `unexpected` and answered 400: tests assert that list is empty.
 */
export interface FakeInstance {
  id: string;
  type: string;
  state?: string;
  lifecycle?: 'spot';
  launchTime?: string;
  az?: string;
  tags?: Record<string, string>;
  /** EC2's privateDnsName (the CloudWatch agent's `host` dimension). */
  privateDnsName?: string;
}

export interface AwsWireOptions {
  /** Instances per region. */
  instances: Record<string, FakeInstance[]>;
  /** Page size the server uses (≤ the client's MaxResults), to force pagination. */
  pageSize?: number;
  /** Hourly value of a metric (GPU metrics also get the GPU index), or undefined for no datapoint. */
  metric?: (instanceId: string, metricName: string, stat: string, hourMs: number, gpuIndex?: string) => number | undefined;
  /** Instances whose CloudWatch agent publishes nvidia_smi_* metrics, with their GPU count. */
  gpus?: Record<string, number>;
  /** Results per GetMetricData page (the rest continue via NextToken). */
  metricPageSize?: number;
  /** Throttle the first N calls of an operation (then succeed). */
  throttleFirst?: Partial<Record<'DescribeInstances' | 'GetMetricData', number>>;
  /** Regions answering 500 to everything. */
  failingRegions?: string[];
  /** Operations answered with a proxy's HTML 500 page instead of XML/JSON. */
  htmlErrors?: string[];
  /** How the agent's GPU metrics are dimensioned: InstanceId (append_dimensions) or only host (the agent's default). */
  gpuDimensions?: 'InstanceId' | 'host';
  /** Hosts publishing GPU metrics that are no instance of the account (ListMetrics lists them too). */
  strayGpuHosts?: string[];
  /** Regions whose DescribeInstances returns a malformed instance (no instanceType). */
  malformedRegions?: string[];
  /** Added latency per request, ms. */
  latencyMs?: number;
  /** Price List products per region code (GetProducts, AWS JSON 1.1), each a product object the server stringifies. */
  products?: Record<string, unknown[]>;
  /** Products per GetProducts page. */
  productPageSize?: number;
  /** Spot price history per region: one row per (type, zone, timestamp). */
  spotHistory?: Record<string, { type: string; az: string; usd: string; at: string }[]>;
  /** Spot rows per DescribeSpotPriceHistory page. */
  spotPageSize?: number;
  /** Active reserved instances per region (DescribeReservedInstances); none when absent. */
  reservedInstances?: Record<string, { id: string; type: string; count: number; fixedUsd: number; usageUsd?: number; hourlyRecurringUsd?: number; durationS: number; product?: string; end?: string }[]>;
  /** Types DescribeInstanceTypes knows (beyond them it answers InvalidInstanceType, as EC2 does). */
  describedTypes?: Record<string, { vcpu: number; memoryMiB: number; arch?: string; gpu?: { name: string; count: number; memoryMiB: number } }>;
  /** The Spot Instance Advisor feed served at GET /spot-advisor-data.json (default: one region, two types). */
  spotAdvisorFeed?: unknown;
  /** Recorded DescribeSpotPriceHistory bodies per region, served verbatim in order (each page's nextToken leads to the next). */
  spotHistoryXml?: Record<string, string[]>;
}

/** The feed's shape (spot-bid-advisor.s3.amazonaws.com/spot-advisor-data.json), trimmed to one region. */
export const DEFAULT_SPOT_ADVISOR_FEED = {
  global_rate: '<10%',
  instance_types: { 'm5.large': { emr: true, cores: 2, ram_gb: 8 } },
  ranges: [
    { index: 0, label: '<5%', dots: 0, max: 5 },
    { index: 1, label: '5-10%', dots: 1, max: 11 },
    { index: 2, label: '10-15%', dots: 2, max: 16 },
    { index: 3, label: '15-20%', dots: 3, max: 22 },
    { index: 4, label: '>20%', dots: 4, max: 100 },
  ],
  spot_advisor: { 'us-east-1': { Linux: { 'm5.large': { s: 61, r: 3 }, 'c5.xlarge': { s: 55, r: 0 } }, Windows: { 'm5.large': { s: 40, r: 1 } } } },
};

export async function startAwsWireServer(options: AwsWireOptions) {
  const unexpected: string[] = [];
  const calls: Record<string, number> = {};
  const seen: Record<string, number> = {};
  /** AssumeRole calls (STS Query protocol) and the access key that signed each EC2/CloudWatch call. */
  const assumeRoles: { roleArn: string; externalId: string | null; sessionName: string | null }[] = [];
  const accessKeys: Record<string, Set<string>> = {};
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      if (req.method === 'GET' && req.url === '/spot-advisor-data.json') {
        calls['spotAdvisorFeed'] = (calls['spotAdvisorFeed'] ?? 0) + 1;
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(options.spotAdvisorFeed ?? DEFAULT_SPOT_ADVISOR_FEED));
        return;
      }
      const reply = () => handle(req.headers, body, res);
      if (options.latencyMs) setTimeout(reply, options.latencyMs);
      else reply();
    });
  });

  function regionOf(headers: NodeJS.Dict<string | string[]>): string {
    const auth = String(headers['authorization'] ?? '');
    return /Credential=[^/]+\/\d{8}\/([^/]+)\//.exec(auth)?.[1] ?? 'unknown';
  }

  function handle(headers: NodeJS.Dict<string | string[]>, body: string, res: import('node:http').ServerResponse) {
    const region = regionOf(headers);
    const target = String(headers['x-amz-target'] ?? '');
    const op = target ? target.split('.')[1] ?? '' : (new URLSearchParams(body).get('Action') ?? '');
    calls[op] = (calls[op] ?? 0) + 1;
    const accessKey = /Credential=([^/]+)\//.exec(String(headers['authorization'] ?? ''))?.[1] ?? '';
    (accessKeys[op] ??= new Set()).add(accessKey);
    if (op === 'GetCallerIdentity') {
      const account = accessKey.startsWith('ASIA') ? accessKey.slice(4) : '123456789012';
      res.writeHead(200, { 'content-type': 'text/xml' });
      res.end(`<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult><Arn>arn:aws:iam::${account}:user/local</Arn><UserId>AIDA</UserId><Account>${account}</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></GetCallerIdentityResponse>`);
      return;
    }
    if (op === 'AssumeRole') {
      const params = new URLSearchParams(body);
      const roleArn = params.get('RoleArn') ?? '';
      assumeRoles.push({ roleArn, externalId: params.get('ExternalId'), sessionName: params.get('RoleSessionName') });
      const account = /^arn:aws:iam::(\d{12}):role\//.exec(roleArn)?.[1] ?? 'invalid';
      res.writeHead(200, { 'content-type': 'text/xml' });
      res.end(
        `<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult><Credentials><AccessKeyId>ASIA${account}</AccessKeyId><SecretAccessKey>assumed-secret</SecretAccessKey><SessionToken>assumed-token</SessionToken><Expiration>2099-01-01T00:00:00Z</Expiration></Credentials><AssumedRoleUser><Arn>${esc(roleArn)}/x</Arn><AssumedRoleId>AROA:x</AssumedRoleId></AssumedRoleUser></AssumeRoleResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></AssumeRoleResponse>`,
      );
      return;
    }
    if (options.failingRegions?.includes(region)) {
      res.writeHead(500, { 'content-type': 'text/xml' });
      res.end('<Response><Errors><Error><Code>InternalError</Code><Message>boom</Message></Error></Errors><RequestID>x</RequestID></Response>');
      return;
    }
    if (options.htmlErrors?.includes(op)) {
      res.writeHead(500, { 'content-type': 'text/html' });
      res.end('<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>');
      return;
    }
    const key = `${region}|${op}`;
    seen[key] = (seen[key] ?? 0) + 1;
    const throttle = options.throttleFirst?.[op as 'DescribeInstances'] ?? 0;
    if (op === 'DescribeInstances') {
      if (seen[key] <= throttle) return ec2Error(res, 503, 'RequestLimitExceeded', 'Request limit exceeded.');
      return describeInstances(new URLSearchParams(body), region, res);
    }
    if (target === 'GraniteServiceVersion20100801.ListMetrics') {
      const req = JSON.parse(body) as { Namespace?: string; MetricName?: string };
      const hostOf = (id: string) => Object.values(options.instances).flat().find((i) => i.id === id)?.privateDnsName ?? id;
      const who = (idOrHost: string, host: boolean) => (host ? { Name: 'host', Value: idOrHost } : { Name: 'InstanceId', Value: idOrHost });
      const byHost = options.gpuDimensions === 'host';
      const metrics = [...Object.entries(options.gpus ?? {}).map(([instanceId, count]) => [byHost ? hostOf(instanceId) : instanceId, count] as const), ...(options.strayGpuHosts ?? []).map((h) => [h, 1] as const)].flatMap(([idOrHost, count]) =>
        Array.from({ length: count }, (_, index) => ({
          Namespace: 'CWAgent',
          MetricName: req.MetricName,
          Dimensions: [who(idOrHost, byHost || (options.strayGpuHosts ?? []).includes(idOrHost)), { Name: 'index', Value: String(index) }, { Name: 'name', Value: 'NVIDIA A100-SXM4-40GB' }],
        })),
      );
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' });
      res.end(JSON.stringify({ Metrics: req.Namespace === 'CWAgent' ? metrics : [] }));
      return;
    }
    if (target === 'AWSPriceListService.GetProducts') {
      const req = JSON.parse(body) as { ServiceCode: string; Filters: { Type: string; Field: string; Value: string }[]; NextToken?: string; MaxResults?: number; FormatVersion?: string };
      const regionCode = req.Filters.find((f) => f.Field === 'regionCode')?.Value ?? '';
      const wanted = { operatingSystem: 'Linux', tenancy: 'Shared', capacitystatus: 'Used', preInstalledSw: 'NA' } as Record<string, string>;
      const filtersOk = req.ServiceCode === 'AmazonEC2' && Object.entries(wanted).every(([f, v]) => req.Filters.some((x) => x.Type === 'TERM_MATCH' && x.Field === f && x.Value === v));
      if (!filtersOk) {
        unexpected.push(`GetProducts with filters ${JSON.stringify(req.Filters)}`);
        return jsonError(res, 400, 'InvalidParameterException', 'unexpected filters');
      }
      const all = options.products?.[regionCode] ?? [];
      const size = Math.min(req.MaxResults ?? 100, options.productPageSize ?? 100);
      const start = Number(req.NextToken ?? 0);
      const next = start + size < all.length ? String(start + size) : undefined;
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
      res.end(JSON.stringify({ FormatVersion: 'aws_v1', PriceList: all.slice(start, start + size).map((p) => (typeof p === 'string' ? p : JSON.stringify(p))), ...(next ? { NextToken: next } : {}) }));
      return;
    }
    if (op === 'DescribeReservedInstances') {
      const params = new URLSearchParams(body);
      if (params.get('Filter.1.Name') !== 'state' || params.get('Filter.1.Value.1') !== 'active') unexpected.push(`DescribeReservedInstances without the state=active filter: ${body}`);
      // Shaped as the EC2 API reference's DescribeReservedInstances example response.
      const items = (options.reservedInstances?.[region] ?? [])
        .map(
          (r) =>
            `<item><reservedInstancesId>${esc(r.id)}</reservedInstancesId><instanceType>${esc(r.type)}</instanceType><start>2026-01-01T00:00:00.000Z</start><end>${r.end ?? '2029-01-01T00:00:00.000Z'}</end><duration>${r.durationS}</duration><usagePrice>${r.usageUsd ?? 0}</usagePrice><fixedPrice>${r.fixedUsd}</fixedPrice><instanceCount>${r.count}</instanceCount><productDescription>${esc(r.product ?? 'Linux/UNIX')}</productDescription><state>active</state><instanceTenancy>default</instanceTenancy><currencyCode>USD</currencyCode><offeringType>All Upfront</offeringType><recurringCharges>${r.hourlyRecurringUsd ? `<item><frequency>Hourly</frequency><amount>${r.hourlyRecurringUsd}</amount></item>` : ''}</recurringCharges><offeringClass>standard</offeringClass><scope>Region</scope></item>`,
        )
        .join('');
      res.writeHead(200, { 'content-type': 'text/xml;charset=UTF-8' });
      res.end(`<?xml version="1.0" encoding="UTF-8"?><DescribeReservedInstancesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>req-1</requestId><reservedInstancesSet>${items}</reservedInstancesSet></DescribeReservedInstancesResponse>`);
      return;
    }
    if (op === 'DescribeInstanceTypes') {
      const params = new URLSearchParams(body);
      const names = [...params.entries()].filter(([k]) => /^InstanceType\.\d+$/.test(k)).map(([, v]) => v);
      const missing = names.filter((n) => !options.describedTypes?.[n]);
      if (missing.length > 0) return ec2Error(res, 400, 'InvalidInstanceType', `The following supplied instance types do not exist: [${missing.join(', ')}]`);
      const items = names
        .map((n) => {
          const t = options.describedTypes![n]!;
          const gpu = t.gpu ? `<gpuInfo><gpus><item><name>${esc(t.gpu.name)}</name><manufacturer>NVIDIA</manufacturer><count>${t.gpu.count}</count><memoryInfo><sizeInMiB>${t.gpu.memoryMiB}</sizeInMiB></memoryInfo></item></gpus><totalGpuMemoryInMiB>${t.gpu.memoryMiB * t.gpu.count}</totalGpuMemoryInMiB></gpuInfo>` : '';
          return `<item><instanceType>${esc(n)}</instanceType><currentGeneration>true</currentGeneration><burstablePerformanceSupported>false</burstablePerformanceSupported><processorInfo><supportedArchitectures><item>${t.arch ?? 'x86_64'}</item></supportedArchitectures></processorInfo><vCpuInfo><defaultVCpus>${t.vcpu}</defaultVCpus></vCpuInfo><memoryInfo><sizeInMiB>${t.memoryMiB}</sizeInMiB></memoryInfo><networkInfo><networkPerformance>Up to 12.5 Gigabit</networkPerformance></networkInfo>${gpu}</item>`;
        })
        .join('');
      res.writeHead(200, { 'content-type': 'text/xml;charset=UTF-8' });
      res.end(`<?xml version="1.0" encoding="UTF-8"?><DescribeInstanceTypesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>req-1</requestId><instanceTypeSet>${items}</instanceTypeSet></DescribeInstanceTypesResponse>`);
      return;
    }
    if (op === 'DescribeSpotPriceHistory') {
      const params = new URLSearchParams(body);
      if (params.get('ProductDescription.1') !== 'Linux/UNIX') unexpected.push(`DescribeSpotPriceHistory without ProductDescription Linux/UNIX: ${body}`);
      const recorded = options.spotHistoryXml?.[region];
      if (recorded) {
        const token = params.get('NextToken');
        const index = token ? recorded.findIndex((page) => page.includes(`<nextToken>${token}</nextToken>`)) + 1 : 0;
        if (index < 0 || index >= recorded.length) {
          unexpected.push(`DescribeSpotPriceHistory NextToken ${token}`);
          return ec2Error(res, 400, 'InvalidNextToken', 'unknown token');
        }
        res.writeHead(200, { 'content-type': 'text/xml;charset=UTF-8' });
        res.end(recorded[index]);
        return;
      }
      const rows = options.spotHistory?.[region] ?? [];
      const size = Math.min(Number(params.get('MaxResults') ?? 1000), options.spotPageSize ?? 1000);
      const start = Number(params.get('NextToken') ?? 0);
      const next = start + size < rows.length ? String(start + size) : '';
      const items = rows
        .slice(start, start + size)
        .map((r) => `<item><instanceType>${esc(r.type)}</instanceType><productDescription>Linux/UNIX</productDescription><spotPrice>${esc(r.usd)}</spotPrice><timestamp>${r.at}</timestamp><availabilityZone>${esc(r.az)}</availabilityZone></item>`)
        .join('');
      // Shaped like botocore's recorded response (test/fixtures/aws/ec2-describe-spot-price-history.xml).
      res.writeHead(200, { 'content-type': 'text/xml;charset=UTF-8' });
      res.end(`<?xml version="1.0" encoding="UTF-8"?><DescribeSpotPriceHistoryResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>req-1</requestId><spotPriceHistorySet>${items}</spotPriceHistorySet><nextToken>${next}</nextToken></DescribeSpotPriceHistoryResponse>`);
      return;
    }
    if (target === 'GraniteServiceVersion20100801.GetMetricData') {
      if (seen[key] <= throttle) return jsonError(res, 400, 'Throttling', 'Rate exceeded');
      return getMetricData(JSON.parse(body) as Record<string, unknown>, res);
    }
    unexpected.push(`${op || target || 'unknown'} ${body.slice(0, 120)}`);
    res.writeHead(400, { 'content-type': 'text/plain' });
    res.end('unexpected request');
  }

  function ec2Error(res: import('node:http').ServerResponse, status: number, code: string, message: string) {
    res.writeHead(status, { 'content-type': 'text/xml' });
    res.end(`<?xml version="1.0" encoding="UTF-8"?><Response><Errors><Error><Code>${code}</Code><Message>${message}</Message></Error></Errors><RequestID>req-1</RequestID></Response>`);
  }

  function jsonError(res: import('node:http').ServerResponse, status: number, type: string, message: string) {
    res.writeHead(status, { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-query-error': `${type};Sender` });
    res.end(JSON.stringify({ __type: `com.amazonaws.cloudwatch#${type}`, message }));
  }

  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

  function describeInstances(params: URLSearchParams, region: string, res: import('node:http').ServerResponse) {
    const all = options.instances[region] ?? [];
    const max = Math.min(Number(params.get('MaxResults') ?? 1000), options.pageSize ?? 1000);
    const start = Number(params.get('NextToken') ?? 0);
    const page = all.slice(start, start + max);
    const next = start + max < all.length ? String(start + max) : undefined;
    const malformed = options.malformedRegions?.includes(region);
    const items = page
      .map(
        (i, n) => `<item><instanceId>${esc(i.id)}</instanceId><imageId>ami-1</imageId><instanceState><code>16</code><name>${i.state ?? 'running'}</name></instanceState>${malformed && n === 0 ? '' : `<instanceType>${esc(i.type)}</instanceType>`}<launchTime>${i.launchTime ?? '2026-01-05T10:00:00.000Z'}</launchTime><placement><availabilityZone>${i.az ?? `${region}a`}</availabilityZone><tenancy>default</tenancy></placement>${i.lifecycle ? `<instanceLifecycle>${i.lifecycle}</instanceLifecycle>` : ''}${i.privateDnsName ? `<privateDnsName>${esc(i.privateDnsName)}</privateDnsName>` : ''}<architecture>x86_64</architecture><tagSet>${Object.entries(i.tags ?? {}).map(([k, v]) => `<item><key>${esc(k)}</key><value>${esc(v)}</value></item>`).join('')}</tagSet></item>`,
      )
      .join('');
    res.writeHead(200, { 'content-type': 'text/xml;charset=UTF-8' });
    res.end(
      `<?xml version="1.0" encoding="UTF-8"?><DescribeInstancesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>req-1</requestId><reservationSet>${items ? `<item><reservationId>r-1</reservationId><ownerId>111111111111</ownerId><groupSet/><instancesSet>${items}</instancesSet></item>` : ''}</reservationSet>${next ? `<nextToken>${next}</nextToken>` : ''}</DescribeInstancesResponse>`,
    );
  }

  function getMetricData(req: Record<string, unknown>, res: import('node:http').ServerResponse) {
    const queries = req['MetricDataQueries'] as { Id: string; MetricStat: { Metric: { MetricName: string; Dimensions: { Name: string; Value: string }[] }; Stat: string; Period: number } }[];
    const startS = req['StartTime'] as number;
    const endS = req['EndTime'] as number;
    const offset = Number(req['NextToken'] ?? 0);
    const pageSize = options.metricPageSize ?? queries.length;
    const results = queries.slice(offset, offset + pageSize).map((q) => {
      const host = q.MetricStat.Metric.Dimensions.find((d) => d.Name === 'host')?.Value;
      const instanceId = q.MetricStat.Metric.Dimensions.find((d) => d.Name === 'InstanceId')?.Value ?? Object.values(options.instances).flat().find((i) => host !== undefined && i.privateDnsName === host)?.id ?? '';
      const gpuIndex = q.MetricStat.Metric.Dimensions.find((d) => d.Name === 'index')?.Value;
      const timestamps: number[] = [];
      const values: number[] = [];
      // One datapoint per Period, as CloudWatch answers; the point's timestamp is the start of its period.
      for (let t = startS * 1000; t < endS * 1000; t += q.MetricStat.Period * 1000) {
        const v = options.metric?.(instanceId, q.MetricStat.Metric.MetricName, q.MetricStat.Stat, t, gpuIndex);
        if (v === undefined) continue;
        timestamps.push(t / 1000);
        values.push(v);
      }
      return { Id: q.Id, Label: q.MetricStat.Metric.MetricName, Timestamps: timestamps, Values: values, StatusCode: 'Complete' };
    });
    const next = offset + pageSize < queries.length ? String(offset + pageSize) : undefined;
    res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' });
    res.end(JSON.stringify({ MetricDataResults: results, Messages: [], ...(next ? { NextToken: next } : {}) }));
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, unexpected, calls, assumeRoles, accessKeys, close: () => new Promise<void>((r) => server.close(() => r())) };
}
