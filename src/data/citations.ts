// Citations of the datasets' sources (pure: the registry and the browser use them without the loaders).
export const CP2015_CITATION =
  'Caliendo, L. and Parro, F. (2015), "Estimates of the Trade and Welfare Effects of NAFTA", Review of Economic Studies 82(1): 1–44. Data: the paper\'s supplementary replication files.';
export const OSSA2014_CITATION = 'Ossa, R. (2014), "Trade Wars and Trade Talks with Data", American Economic Review 104(12): 4104–4146. Data: the paper\'s replication files.';
