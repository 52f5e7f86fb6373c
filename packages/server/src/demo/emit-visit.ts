import type { WireEvent } from '@sightline/shared';
import { DEMO_CATEGORIES } from './catalog-data.ts';
import type { DemoProduct } from './create-demo-products.ts';
import { drawJsError } from './draw-js-error.ts';
import { drawVital, type VitalMetric } from './emit-signals.ts';
import { emitShares, emitTasks } from './emit-engagement.ts';
import { emitSockets } from './emit-sockets.ts';
import { emitDigitalPurchase, emitPurchase } from './emit-purchase.ts';
import type { Prng } from './prng.ts';
import { SessionWriter, type EmitDayContext, type TrackFields } from './session-writer.ts';
import { SHOP_NAME, getProductProps, type OpenPage, type PageOptions } from './shop-pages.ts';
import type { VisitPlan } from './shop-plan.ts';
import type { TrafficSource } from './traffic-sources.ts';

const SITE_ORIGIN: Readonly<Record<string, string>> = {
  web: 'https://www.youxuan.example.com',
  h5: 'https://m.youxuan.example.com',
};
const BANNERS = ['spring_sale', 'new_arrivals', 'vip_promo', 'tea_festival'];
const SEARCH_QUERIES = ['绿茶', '面膜', '充电器', '坚果', '纸尿裤', '保温杯', '耳机', '口红'];
/** Sessions that report web vitals; shops sample them to keep the event volume down. */
const VITALS_SAMPLE_RATE = 0.6;
/** Visitors with nothing planned beyond the landing page who leave from it (they bounce). */
const LEAVE_AFTER_LANDING = 0.7;

/** Turns one planned visit into the events of its session (the caller sorts them by time). */
export function emitVisit(ctx: EmitDayContext, visit: VisitPlan): void {
  const { rng } = ctx;
  const w = new SessionWriter(ctx, visit);
  // Page views, so errors name the page that was open when they were thrown.
  const opened: WireEvent[] = [];
  const openPage = (path: string, title: string, options: PageOptions = {}): void => {
    if (opened.length > 0) w.pause(visit.fast ? 3_000 : 18_000);
    opened.push(emitPageView(w, visit, path, title, options));
  };

  const reportsVitals = w.isBrowser && rng.chance(VITALS_SAMPLE_RATE);
  const hasPlans =
    visit.fast ||
    visit.login ||
    visit.viewed.length > 0 ||
    visit.signUp !== undefined ||
    visit.digitalOrder !== undefined;
  const browses = hasPlans || !rng.chance(LEAVE_AFTER_LANDING);
  openLandingPage(w, rng, visit, openPage, { reportsVitals, browses });
  if (visit.login) {
    openPage('/login', '登录');
    w.track({ name: 'login', props: { method: rng.pick(['phone', 'wechat', 'password']) } });
    w.api('POST', '/api/auth/login', '/api/auth/login');
  }
  if (!visit.fast && browses) {
    if (rng.chance(0.2)) {
      const query = rng.pick(SEARCH_QUERIES);
      openPage('/search', `搜索 - ${SHOP_NAME}`, { query: `q=${encodeURIComponent(query)}` });
      w.track({ name: 'submit_search', props: { query, result_count: rng.int(0, 48) } });
      w.api('GET', '/api/search', '/api/search');
    }
    if (rng.chance(0.35)) openCategory(w, rng.pick(DEMO_CATEGORIES).slug, openPage);
  }
  for (const product of visit.viewed) {
    if (product !== visit.landingProduct) openProduct(w, product, openPage);
    const line = visit.cart.find((item) => item.product === product);
    if (!line) continue;
    w.pause(8_000);
    w.track({
      name: 'add_to_cart',
      props: { ...getProductProps(product), quantity: line.quantity },
    });
    w.api('POST', '/api/cart/items', '/api/cart/items');
  }
  if (visit.signUp && visit.checkout) emitSignUp(w, visit, openPage);
  if (visit.cart.length > 0) {
    openPage('/cart', `购物车 - ${SHOP_NAME}`);
    w.api('GET', '/api/cart', '/api/cart');
  }
  if (visit.checkout) {
    const order = visit.order;
    const total = visit.cart.reduce((sum, line) => sum + line.product.price * line.quantity, 0);
    openPage('/checkout', `确认订单 - ${SHOP_NAME}`);
    w.track({
      name: 'checkout_started',
      amount: total,
      currency: 'CNY',
      props: { product_type: 'goods', total, item_count: visit.cart.length },
    });
    w.api('POST', '/api/checkout', '/api/checkout');
    if (order) emitPurchase(w, order, openPage);
  }
  if (visit.signUp && !visit.checkout) emitSignUp(w, visit, openPage);
  if (visit.digitalOrder) emitDigitalPurchase(w, visit.digitalOrder, openPage);
  emitTasks(w, ctx, visit, openPage);
  emitShares(w, ctx, visit);

  const platform = visit.visitor.device.platform;
  if (platform === 'web' || platform === 'h5' || platform === 'miniprogram') {
    const sessionEnd = w.now;
    opened.forEach((view, index) => {
      const page = view.page ?? '/';
      const site = {
        page,
        isMiniProgram: platform === 'miniprogram',
        isNewRelease: ctx.isNewWebRelease && w.isBrowser,
      };
      const error = drawJsError(rng, site);
      if (!error) return;
      // Thrown while the page was open: before the next page view.
      const shownAt = Number(view.ts);
      w.now = rng.int(shownAt, Math.max(shownAt, Number(opened[index + 1]?.ts ?? sessionEnd)));
      const { fatal, ...thrown } = error;
      w.track({
        type: 'error',
        name: 'js_error',
        page,
        ...(view.url ? { url: view.url } : {}),
        ...thrown,
        props: { fatal },
      });
    });
    w.now = sessionEnd;
    // Pages beyond the landing one keep the push connection open (a bounce never opens it).
    if (opened.length > 1) emitSockets(w, ctx, { start: Number(opened[0]?.ts), end: sessionEnd });
  }
  if (reportsVitals) {
    // INP and CLS are final only when the page is hidden, at the end of the session.
    w.now += rng.int(500, 3_000);
    for (const metric of ['INP', 'CLS'] as const) emitVital(w, rng, visit, metric);
  }
}

function emitPageView(
  w: SessionWriter,
  visit: VisitPlan,
  path: string,
  title: string,
  options: PageOptions,
): WireEvent {
  const { source, visitor } = visit;
  const origin = SITE_ORIGIN[visitor.device.platform];
  const landing = options.isLanding ? getLandingFields(source) : undefined;
  const query = [options.query, landing?.query].filter(Boolean).join('&');
  return w.track({
    type: 'page',
    name: 'page_view',
    page: path,
    ...(origin ? { url: `${origin}${path}${query ? `?${query}` : ''}` } : {}),
    title,
    ...landing?.fields,
  });
}

/** Referrer and utm_* as the SDK reads them from the landing URL; later pages carry neither. */
function getLandingFields(source: TrafficSource): { fields: TrackFields; query: string } {
  const utm: Array<[keyof TrackFields & `utm_${string}`, string | undefined]> = [
    ['utm_source', source.utmSource],
    ['utm_medium', source.utmMedium],
    ['utm_campaign', source.utmCampaign],
    ['utm_term', source.utmTerm],
    ['utm_content', source.utmContent],
  ];
  const fields: TrackFields = source.referrer ? { referrer: source.referrer } : {};
  const query: string[] = [];
  for (const [key, value] of utm) {
    if (!value) continue;
    fields[key] = value;
    query.push(`${key}=${encodeURIComponent(value)}`);
  }
  return { fields, query: query.join('&') };
}

function openLandingPage(
  w: SessionWriter,
  rng: Prng,
  visit: VisitPlan,
  openPage: OpenPage,
  { reportsVitals, browses }: { reportsVitals: boolean; browses: boolean },
): void {
  const landing = { isLanding: true };
  const product = visit.landingProduct;
  if (product) {
    openProduct(w, product, openPage, landing);
  } else if (visit.source.landing === 'category') {
    openCategory(w, visit.landingCategory, openPage, landing);
  } else if (visit.source.landing === 'promo') {
    openPage('/promo/weekly', `每周精选 - ${SHOP_NAME}`, landing);
    w.api('GET', '/api/products', '/api/products');
  } else {
    openPage('/', `首页 - ${SHOP_NAME}`, landing);
    w.api('GET', '/api/home', '/api/home');
  }
  if (reportsVitals) {
    for (const metric of ['TTFB', 'FCP', 'LCP'] as const) emitVital(w, rng, visit, metric);
  }
  if (!product && visit.source.landing === 'home' && browses && !visit.fast && rng.chance(0.25)) {
    w.pause(6_000);
    w.track({ name: 'click_banner', props: { banner_id: rng.pick(BANNERS), position: 1 } });
  }
}

function emitVital(w: SessionWriter, rng: Prng, visit: VisitPlan, metric: VitalMetric): void {
  const sample = drawVital(rng, metric, visit.visitor.device.platform === 'h5');
  const isTime = metric !== 'CLS';
  // Time metrics are reported when they are measured, that long after the page started.
  w.track(
    {
      type: 'perf',
      name: 'web_vital',
      ...(isTime ? { duration_ms: sample.value } : {}),
      props: { metric, value: sample.value, rating: sample.rating },
    },
    isTime ? sample.value : 0,
  );
}

function openCategory(
  w: SessionWriter,
  slug: string,
  openPage: OpenPage,
  options: PageOptions = {},
): void {
  const title = DEMO_CATEGORIES.find((category) => category.slug === slug)?.title ?? slug;
  openPage(`/category/${slug}`, `${title} - ${SHOP_NAME}`, options);
  w.api('GET', '/api/categories/:slug/products', `/api/categories/${slug}/products`);
}

function openProduct(
  w: SessionWriter,
  product: DemoProduct,
  openPage: OpenPage,
  options: PageOptions = {},
): void {
  openPage(`/product/${product.productId}`, `${product.name} - ${SHOP_NAME}`, options);
  w.api('GET', '/api/products/:id', `/api/products/${product.productId}`);
  w.track({ name: 'view_product', props: getProductProps(product) }, 400);
}

function emitSignUp(w: SessionWriter, visit: VisitPlan, openPage: OpenPage): void {
  const signUp = visit.signUp;
  if (!signUp) return;
  openPage('/signup', '注册');
  w.userId = signUp.userId;
  w.track({ name: 'sign_up', props: { method: signUp.method } });
  w.api('POST', '/api/auth/signup', '/api/auth/signup');
  w.track({ type: 'identify', traits: { plan: 'free', signup_channel: visit.source.channel } }, 50);
  if (signUp.agentId) {
    w.track({ name: 'invite_accepted', props: { agent_id: signUp.agentId } }, 100);
  }
}
