import type { ChargeCategory } from '../../domain/spend.js';

/**
 * One FOCUS row after validation, the reader's output and the aggregation's input. Strings are '' where FOCUS
 * has null; amounts are in the row's BillingCurrency (the aggregation converts to USD). Times are epoch ms (UTC).
 */
export interface FocusCharge {
  billingPeriodStartMs: number;
  chargePeriodStartMs: number;
  chargePeriodEndMs: number;
  provider: string;
  billingAccountId: string;
  subAccountId: string;
  service: string;
  serviceCategory: string;
  region: string;
  resourceId: string;
  resourceName: string;
  resourceType: string;
  chargeCategory: ChargeCategory;
  /** '' or `Correction`. */
  chargeClass: string;
  pricingCategory: string;
  commitmentDiscountId: string;
  commitmentDiscountType: string;
  commitmentDiscountCategory: string;
  commitmentDiscountStatus: string;
  /** 0 when the column is absent (FOCUS 1.0) or null. */
  commitmentDiscountQuantity: number;
  /** Canonical JSON object of the Tags column (keys sorted), '{}' when null. */
  tagsJson: string;
  billingCurrency: string;
  billedCost: number;
  effectiveCost: number;
  /** 0 when null (FOCUS allows null ListCost/ContractedCost on some rows). */
  listCost: number;
  contractedCost: number;
  skuId: string;
  /** NaN when null. */
  listUnitPrice: number;
  contractedUnitPrice: number;
  pricingQuantity: number;
  pricingUnit: string;
}
