// The window around the screens: title, tabs, status bar, banners, kinds of order.

export const fr = {
  "date.invalid": "Ce n'est pas une date : jour/mois/année, par exemple 31/12/2026.",
  "app.title": "Comptoir",
  "nav.counter": "Comptoir",
  "nav.orders": "Commandes",
  "nav.settings": "Réglages",
  "nav.reports": "Rapports",
  "banner.training": "MODE FORMATION — les ventes vont aux simulateurs, rien n'est facturé",
  "net.online": "En ligne",
  "net.offline": "Hors ligne",
  "net.offline_hint": "Fournisseurs injoignables : l'historique reste consultable.",
  "share.badge": "{n} ventes non partagées (la plus ancienne : {at})",
  "share.badge.one": "1 vente non partagée ({at})",
  "share.badge.hint": "La base de la boutique ne répond pas : les ventes attendent sur cette caisse. Cliquer pour réessayer.",
  "share.badge.sending": "Envoi…",
  "error.retry": "Réessayer",
};

export const en: Record<keyof typeof fr, string> = {
  "date.invalid": "Not a date: day/month/year, for example 31/12/2026.",
  "app.title": "Comptoir",
  "nav.counter": "Counter",
  "nav.orders": "Orders",
  "nav.settings": "Settings",
  "nav.reports": "Reports",
  "banner.training": "TRAINING MODE — sales go to the simulators, nothing is charged",
  "net.online": "Online",
  "net.offline": "Offline",
  "net.offline_hint": "Providers cannot be reached: order history still works.",
  "share.badge": "{n} sales not shared (oldest: {at})",
  "share.badge.one": "1 sale not shared ({at})",
  "share.badge.hint": "The shop's database does not answer: the sales wait on this counter. Click to try again.",
  "share.badge.sending": "Sending…",
  "error.retry": "Retry",
};
