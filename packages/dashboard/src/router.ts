import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router';
import { whenUnauthorized } from './lib/api.ts';
import { loadCatalog } from './lib/catalog.ts';
import { loadSession, me, projects } from './lib/session.ts';
import { leaveShare, sharedPage, shareView } from './lib/share.ts';

/** The pages of the navigation, in order (seed 001 §4). */
export const PAGES = [
  'overview',
  'realtime',
  'users',
  'business',
  'commerce',
  'operations',
  'tech',
  'alerts',
  'reports',
  'analysis',
  'settings',
] as const;

const LAST_PROJECT = 'sightline_project';
const routes: RouteRecordRaw[] = [
  { path: '/login', name: 'login', component: () => import('./pages/LoginPage.vue') },
  {
    path: '/share/:token',
    name: 'share',
    component: () => import('./pages/SharePage.vue'),
    props: true,
  },
  {
    path: '/p/:projectId',
    component: () => import('./components/AppShell.vue'),
    children: [
      { path: '', redirect: { name: 'overview' } },
      {
        path: 'overview',
        name: 'overview',
        component: () => import('./pages/OverviewPage.vue'),
        props: true,
      },
      ...(
        [
          ['realtime', () => import('./pages/realtime/RealtimePage.vue')],
          ['users', () => import('./pages/users/UsersPage.vue')],
          ['business', () => import('./pages/business/BusinessPage.vue')],
          ['commerce', () => import('./pages/commerce/CommercePage.vue')],
          ['operations', () => import('./pages/operations/OperationsPage.vue')],
          ['tech', () => import('./pages/tech/TechPage.vue')],
          ['alerts', () => import('./pages/alerts/AlertsPage.vue')],
          ['reports', () => import('./pages/reports/ReportsPage.vue')],
          ['analysis', () => import('./pages/analysis/AnalysisPage.vue')],
          ['settings', () => import('./pages/settings/SettingsPage.vue')],
        ] as const
      ).map(([page, component]) => ({ path: page, name: page, component, props: true })),
    ],
  },
  // Signed in without access to any project (or an unknown path while loading).
  { path: '/:rest(.*)*', name: 'home', component: () => import('./pages/NoProjectPage.vue') },
];

export const router = createRouter({ history: createWebHistory(), routes });

router.beforeEach(async (to) => {
  if (to.name === 'share') return true;
  if (to.name === 'login') {
    // Signing in ends a shared view in this tab (its token would win over the session).
    if (shareView.value) {
      leaveShare();
      me.value = null;
    }
    return true;
  }
  const share = shareView.value;
  if (share) {
    // A shared view shows its one page, with any filters; everything else leads back to it.
    if (!me.value && !(await loadSession()))
      return { name: 'share', params: { token: share.token } };
    await loadCatalog().catch(() => undefined);
    const onPage = to.name === sharedPage(share) && to.params.projectId === share.projectId;
    return onPage ? true : share.path;
  }
  if (!me.value && !(await loadSession()))
    return { name: 'login', query: to.fullPath === '/' ? {} : { next: to.fullPath } };
  await loadCatalog().catch(() => undefined);
  const known = projects.value.map((project) => project.id);
  const wanted = typeof to.params.projectId === 'string' ? to.params.projectId : null;
  if (!wanted || !known.includes(wanted)) {
    // The project used last, else the first one.
    const last = localStorage.getItem(LAST_PROJECT);
    const pick = last && known.includes(last) ? last : known[0];
    if (!pick) return to.name === 'home' ? true : { name: 'home' };
    return { name: 'overview', params: { projectId: pick }, query: to.query };
  }
  localStorage.setItem(LAST_PROJECT, wanted);
  return true;
});

whenUnauthorized(() => {
  me.value = null;
  // A share link that stopped (expired, revoked): its page says why.
  const share = shareView.value;
  if (share) {
    void router.push({ name: 'share', params: { token: share.token } });
    return;
  }
  // The login page and a link being opened say what went wrong themselves.
  const here = router.currentRoute.value;
  if (here.name === 'login' || here.name === 'share') return;
  void router.push({ name: 'login', query: { next: here.fullPath } });
});
