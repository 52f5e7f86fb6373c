/** Fixed product names per category; prices, costs and popularity are drawn from the seed. */
export interface CategoryData {
  slug: string;
  /** Shown as the category name in pages and titles. */
  title: string;
  skuPrefix: string;
  brand: string;
  /** Price range in yuan; drawn prices end in 9. */
  minPriceYuan: number;
  maxPriceYuan: number;
  names: readonly string[];
}

export const DEMO_CATEGORIES: readonly CategoryData[] = [
  {
    slug: 'tea',
    title: '茶叶冲饮',
    skuPrefix: 'TEA',
    brand: '山野茶舍',
    minPriceYuan: 29,
    maxPriceYuan: 399,
    names: [
      '有机绿茶 250g',
      '西湖龙井 明前 100g',
      '云南普洱熟茶饼 357g',
      '福建白茶 寿眉 200g',
      '安溪铁观音 礼盒 250g',
      '正山小种红茶 150g',
      '茉莉花茶 罐装 100g',
      '桂花乌龙 三角包 20袋',
      '挂耳咖啡 混合装 30片',
      '冻干柠檬片 150g',
    ],
  },
  {
    slug: 'snacks',
    title: '休闲零食',
    skuPrefix: 'SNK',
    brand: '小馋猫',
    minPriceYuan: 9,
    maxPriceYuan: 89,
    names: [
      '每日坚果 30包',
      '手撕牛肉干 250g',
      '芒果干 500g',
      '海苔脆 礼包',
      '原味腰果 454g',
      '麻辣豆干 20包',
      '黑芝麻丸 罐装',
      '低糖燕麦饼干 1kg',
      '山楂条 300g',
      '卤味鸭脖 组合装',
    ],
  },
  {
    slug: 'beauty',
    title: '美妆个护',
    skuPrefix: 'BTY',
    brand: '青禾',
    minPriceYuan: 39,
    maxPriceYuan: 499,
    names: [
      '玻尿酸保湿面膜 10片',
      '氨基酸洗面奶 120g',
      '防晒乳 SPF50 50ml',
      '精华水 150ml',
      '修护面霜 50g',
      '丝绒口红 #999',
      '卸妆油 200ml',
      '紧致眼霜 20g',
      '护手霜 三支装',
      '无硅油洗发水 500ml',
    ],
  },
  {
    slug: 'home',
    title: '家居日用',
    skuPrefix: 'HOM',
    brand: '木与家',
    minPriceYuan: 19,
    maxPriceYuan: 299,
    names: [
      '竹纤维抹布 10条',
      '收纳箱 三件套',
      '香薰蜡烛 礼盒',
      '不粘锅 28cm',
      '保温杯 500ml',
      '乳胶枕',
      '纯棉四件套 1.8m',
      '洗衣凝珠 52颗',
      '厨房纸巾 12卷',
      '玻璃密封罐 6件',
    ],
  },
  {
    slug: 'baby',
    title: '母婴用品',
    skuPrefix: 'BBY',
    brand: '小树苗',
    minPriceYuan: 29,
    maxPriceYuan: 259,
    names: [
      '婴儿湿巾 80抽×6',
      '纸尿裤 L码 54片',
      '儿童牙刷 4支',
      '宝宝辅食碗',
      '婴儿洗衣液 1L',
      '儿童绘本 10册',
      'PPSU 奶瓶 240ml',
      '宝宝面霜 50g',
      '儿童保温水杯',
      '益智积木 100粒',
    ],
  },
  {
    slug: 'digital',
    title: '数码配件',
    skuPrefix: 'DIG',
    brand: '极电',
    minPriceYuan: 19,
    maxPriceYuan: 399,
    names: [
      '快充数据线 1m',
      '氮化镓充电器 65W',
      '降噪蓝牙耳机',
      '磁吸手机壳',
      '移动电源 10000mAh',
      '静音无线鼠标',
      '87键机械键盘',
      '钢化膜 两片装',
      '车载手机支架',
      '智能手环',
    ],
  },
];

/** Membership cards: 周卡 / 月卡 / 年卡, each renewing into itself. */
export type MembershipPlan = 'weekly' | 'monthly' | 'yearly';

/** Memberships and AI quota packs: sold as orders, no inventory. */
export interface DigitalProductData {
  productId: string;
  sku: string;
  name: string;
  productType: 'membership' | 'quota';
  priceFen: number;
  costFen: number;
  plan?: MembershipPlan;
  periodDays?: number;
  quota?: number;
}

export const DEMO_DIGITAL_PRODUCTS: readonly DigitalProductData[] = [
  {
    // A short card, so renewals fall due (and the renewal rate has a value) within a month.
    productId: 'vip_weekly',
    sku: 'VIP-W',
    name: '会员周卡',
    productType: 'membership',
    priceFen: 990,
    costFen: 100,
    plan: 'weekly',
    periodDays: 7,
  },
  {
    productId: 'vip_monthly',
    sku: 'VIP-M',
    name: '会员月卡',
    productType: 'membership',
    priceFen: 2_990,
    costFen: 300,
    plan: 'monthly',
    periodDays: 30,
  },
  {
    productId: 'vip_yearly',
    sku: 'VIP-Y',
    name: '会员年卡',
    productType: 'membership',
    priceFen: 29_900,
    costFen: 3_000,
    plan: 'yearly',
    periodDays: 365,
  },
  {
    productId: 'quota_100',
    sku: 'AI-Q100',
    name: 'AI 点数 100',
    productType: 'quota',
    priceFen: 1_990,
    costFen: 600,
    quota: 100,
  },
  {
    productId: 'quota_500',
    sku: 'AI-Q500',
    name: 'AI 点数 500',
    productType: 'quota',
    priceFen: 7_900,
    costFen: 2_800,
    quota: 500,
  },
];
