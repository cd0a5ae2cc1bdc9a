export { html, REPORT_CSP, safeHref } from './html.js';
export { mdCode, mdText } from './markdown.js';
export { mrkdwn, slackPlain } from '../../notify/mrkdwn.js';
