import type { SecretRef } from './channel-status.js';

/** Client settings for the secret stores; empty in production (ambient region and credentials), set in tests. */
export interface AwsClientOptions {
  endpoint?: string;
  region?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string };
}

/**
 * Resolves webhook URLs from the environment, an SSM parameter (decrypted) or a Secrets Manager secret, never
 * from the config file. The AWS SDKs are imported only when such a reference is used, so unit tests and
 * env-only setups never load them. Values are cached for the life of the resolver (one run).
 */
export function webhookResolver(env: Record<string, string | undefined>, aws: AwsClientOptions = {}): (ref: SecretRef) => Promise<string | undefined> {
  const cache = new Map<string, string | undefined>();
  return async (ref) => {
    const key = JSON.stringify(ref);
    if (cache.has(key)) return cache.get(key);
    let value: string | undefined;
    if ('env' in ref) value = env[ref.env];
    else if ('ssmParameter' in ref) {
      const { SSMClient, GetParameterCommand } = await import('@aws-sdk/client-ssm');
      value = (await new SSMClient(aws).send(new GetParameterCommand({ Name: ref.ssmParameter, WithDecryption: true }))).Parameter?.Value;
    } else {
      const { SecretsManagerClient, GetSecretValueCommand } = await import('@aws-sdk/client-secrets-manager');
      value = (await new SecretsManagerClient(aws).send(new GetSecretValueCommand({ SecretId: ref.secretsManagerSecret }))).SecretString;
    }
    value = value?.trim() || undefined;
    cache.set(key, value);
    return value;
  };
}
