/**
 * The AWS SDK warns on every process that its releases from the first week of January 2027 require Node >= 22.
 * Rightsize targets Node 20 (TOOLCHAIN.md: vitest 5, GCP and Azure clients' latest need 22) and pins SDK versions
 * that support it, so the warning is not actionable yet. This stops being true on 2027-01-07: move Lambda, CI and
 * the README to Node 22 then and delete this module (serverless.yml sets the same variable for Lambda). An explicit
 * setting in the environment wins. Imported first by every entry point: the CLI, the package script, the benches.
 */
process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';

export {};
