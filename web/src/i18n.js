// Every string the console shows, in Simplified Chinese (the default) and
// English, side by side so that neither can be forgotten. Templates call
// $t('key', {param}); scripts import t(). "{name}" marks a parameter.
//
// The language is remembered in localStorage, switches Element Plus's own
// texts too, and is sent to the server as Accept-Language (see api.js), which
// answers its error messages in it.
import { computed, ref } from '../vendor/vue.js';
import elementZhCn from '../vendor/element-plus-zh-cn.js';
import elementEn from '../vendor/element-plus-en.js';

//                 zh-CN                                   en
const catalogue = {
  'app.title': ['平安建设信息系统', 'Pingan Safety & Governance'],
  'app.name': ['平安建设', 'Pingan'],
  'app.footer': ['县委政法委 · 县社会治理中心', 'County Political & Legal Affairs Commission · Governance Centre'],

  'menu.home': ['首页', 'Home'],
  'menu.org': ['组织机构', 'Organisation'],
  'menu.system': ['系统管理', 'System'],
  'menu.divisions': ['行政区划', 'Divisions'],
  'menu.units': ['单位', 'Units'],
  'menu.users': ['用户', 'Users'],
  'menu.audit': ['审计日志', 'Audit log'],
  'menu.tokens': ['我的令牌', 'My API tokens'],

  'layout.toggleMenu': ['展开/收起菜单', 'Show or hide the menu'],
  'layout.language': ['切换语言', 'Switch language'],
  'layout.division': ['所属区划', 'Your division'],
  'layout.wholeCounty': ['全县', 'Whole county'],
  'layout.changePassword': ['修改密码', 'Change password'],
  'layout.signOut': ['退出登录', 'Sign out'],

  'signin.title': ['账号登录', 'Sign in'],
  'signin.tagline': ['县、乡、村、网格四级联动的社会治理平台', 'Social governance across county, township, village and grid'],
  'signin.point1': ['网格化管理 · 一网统管', 'One grid network for the whole county'],
  'signin.point2': ['一站式受理 · 一揽子调处', 'One-stop intake, joint mediation'],
  'signin.point3': ['全链条服务 · 闭环办结', 'Every case followed to its close'],
  'signin.username': ['用户名', 'Username'],
  'signin.password': ['密码', 'Password'],
  'signin.usernameRequired': ['请输入用户名', 'Enter your username'],
  'signin.passwordRequired': ['请输入密码', 'Enter your password'],
  'signin.submit': ['登 录', 'Sign in'],
  'signin.hint': ['忘记密码请联系本单位系统管理员重置', 'Forgot your password? Ask your administrator to reset it'],
  'signin.expired': ['登录已过期，请重新登录', 'Your session has expired: please sign in again'],

  'password.title': ['修改密码', 'Change password'],
  'password.forcedTitle': ['请先修改初始密码', 'Change your initial password'],
  'password.forcedHint': ['为保障账号安全，首次登录或密码被重置后须修改密码才能继续使用。', 'For your account\'s safety, set a new password before going on.'],
  'password.old': ['当前密码', 'Current password'],
  'password.new': ['新密码', 'New password'],
  'password.confirm': ['确认新密码', 'Confirm new password'],
  'password.oldRequired': ['请输入当前密码', 'Enter your current password'],
  'password.newRequired': ['请输入新密码', 'Enter a new password'],
  'password.mismatch': ['两次输入的新密码不一致', 'The two new passwords differ'],
  'password.rules': ['密码至少 10 位，含大写字母、小写字母、数字、符号中的三类，且不能包含用户名。', 'At least 10 characters from three of: capitals, small letters, digits, symbols; not containing the username.'],
  'password.changed': ['密码已修改', 'Password changed'],

  'common.search': ['查询', 'Search'],
  'common.reset': ['重置', 'Reset'],
  'common.save': ['保存', 'Save'],
  'common.saved': ['已保存', 'Saved'],
  'common.cancel': ['取消', 'Cancel'],
  'common.confirm': ['确定', 'OK'],
  'common.close': ['关闭', 'Close'],
  'common.edit': ['编辑', 'Edit'],
  'common.actions': ['操作', 'Actions'],
  'common.status': ['状态', 'Status'],
  'common.active': ['正常', 'Active'],
  'common.retired': ['已撤销', 'Retired'],
  'common.all': ['全部', 'All'],
  'common.noData': ['暂无数据', 'No data'],
  'common.showRetired': ['含已撤销', 'Include retired'],
  'common.noMatch': ['没有匹配的结果', 'Nothing matches'],
  'common.confirmTitle': ['操作确认', 'Please confirm'],

  'pager.page': ['第 {page} 页', 'Page {page}'],
  'pager.size': ['{size} 条/页', '{size} per page'],
  'pager.prev': ['上一页', 'Previous'],
  'pager.next': ['下一页', 'Next'],

  'error.network': ['无法连接服务器，请检查网络后重试', 'Cannot reach the server: check the network and try again'],
  'error.http': ['服务器返回错误（{status}）', 'The server answered with an error ({status})'],
  'error.stale': ['该记录已被他人修改，请刷新后重试', 'Someone else changed this record: reload it and try again'],
  'error.unknown': ['操作失败', 'The operation failed'],

  'home.greeting': ['您好，{name}', 'Hello, {name}'],
  'home.shortcuts': ['常用功能', 'Shortcuts'],
  'home.chartTitle': ['{name}辖区概况', 'The area of {name}'],
  'home.chartSeries': ['{level}数量', '{level} count'],
  'home.nothingYet': ['您的账号暂未开通其他功能', 'Your account has no other pages yet'],
  'home.summary': ['工作概览', 'Overview'],
  'divisions.summary': ['县、乡镇、村社区、网格四级区划与边界', 'County, townships, villages and grids with their outlines'],
  'units.summary': ['县直部门、乡镇科室、派出所等单位', 'Departments, township offices, police stations'],
  'users.summary': ['账号、角色、网格员网格与职责', 'Accounts, roles, grid workers\' grids and duties'],
  'audit.summary': ['登录与每一项变更的留痕记录', 'Every sign-in and every change, on record'],
  'tokens.summary': ['供对接系统使用的接口令牌', 'API tokens for connected systems'],

  'division.level.county': ['县', 'County'],
  'division.level.township': ['乡镇', 'Township'],
  'division.level.village': ['村社区', 'Village'],
  'division.level.grid': ['网格', 'Grid'],
  'division.searchPlaceholder': ['输入名称或代码搜索', 'Search by name or code'],
  'division.code': ['区划代码', 'Code'],
  'division.name': ['名称', 'Name'],
  'division.level': ['层级', 'Level'],
  'division.parent': ['上级区划', 'Parent'],
  'division.childCount': ['下级数量', 'Children'],
  'division.centre': ['中心坐标', 'Centre'],
  'division.lat': ['纬度', 'Latitude'],
  'division.lng': ['经度', 'Longitude'],
  'division.outline': ['边界', 'Outline'],
  'division.hasOutline': ['已绘制', 'Drawn'],
  'division.noOutlineShort': ['未绘制', 'None'],
  'division.noOutline': ['暂无边界数据', 'No outline on record'],
  'division.outlinePlaceholder': ['GeoJSON 几何对象，如 {"type":"Polygon","coordinates":[...]}，可留空', 'A GeoJSON geometry such as {"type":"Polygon","coordinates":[...]}; may be left empty'],
  'division.outlineInvalid': ['边界须为 GeoJSON 几何对象', 'The outline must be a GeoJSON geometry'],
  'division.codePlaceholder': ['如 330824115001', 'e.g. 330824115001'],
  'division.codeRequired': ['请输入区划代码', 'Enter the code'],
  'division.nameRequired': ['请输入名称', 'Enter the name'],
  'division.parentRequired': ['请选择上级区划', 'Choose the new parent'],
  'division.demo': ['演示数据', 'Demo data'],
  'division.map': ['区划地图', 'Map'],
  'division.pickOne': ['请在左侧选择一个区划', 'Choose a division on the left'],
  'division.createChild': ['新增下级', 'Add child'],
  'division.createTitle': ['新增下级区划', 'New child division'],
  'division.editTitle': ['编辑区划', 'Edit division'],
  'division.move': ['迁移', 'Move'],
  'division.moveTitle': ['迁移区划', 'Move division'],
  'division.newParent': ['新的上级', 'New parent'],
  'division.newCode': ['新代码', 'New code'],
  'division.moved': ['已迁移', 'Moved'],
  'division.retire': ['撤销', 'Retire'],
  'division.retireConfirm': ['确定撤销“{name}”？撤销后不能再在其下登记新数据，历史数据保留。', 'Retire "{name}"? Nothing new can be filed under it; its history is kept.'],
  'division.retired': ['已撤销', 'Retired'],
  'division.import': ['导入', 'Import'],
  'division.export': ['导出', 'Export'],
  'division.importTitle': ['导入行政区划（CSV）', 'Import divisions (CSV)'],
  'division.importHint': ['CSV 文件，UTF-8 编码，首行为列名：code,name,level,parent_code,lat,lng。全部行校验通过才会导入。', 'A UTF-8 CSV file whose first line names the columns code,name,level,parent_code,lat,lng. Nothing is imported unless every row is valid.'],
  'division.importSample': ['code,name,level,parent_code,lat,lng\n330824115001,金星村,village,330824115,29.1521,118.3902', 'code,name,level,parent_code,lat,lng\n330824115001,Jinxing Village,village,330824115,29.1521,118.3902'],
  'division.importDrop': ['将 CSV 文件拖到此处，或点击选择', 'Drop a CSV file here, or click to choose one'],
  'division.importSubmit': ['开始导入', 'Import'],
  'division.importTooLarge': ['文件超过 10 MB', 'The file is larger than 10 MB'],
  'division.imported': ['已导入 {count} 条区划', '{count} divisions imported'],
  'division.importRowsHint': ['共 {count} 行有误，修改后重新导入：', '{count} rows need fixing before the import can go through:'],
  'division.importLine': ['行号', 'Line'],
  'division.importField': ['字段', 'Field'],
  'division.importReason': ['原因', 'Reason'],

  'unit.name': ['单位名称', 'Name'],
  'unit.namePlaceholder': ['名称关键字', 'Part of the name'],
  'unit.kindLabel': ['类别', 'Kind'],
  'unit.division': ['所属区划', 'Division'],
  'unit.phone': ['联系电话', 'Phone'],
  'unit.create': ['新增单位', 'New unit'],
  'unit.createTitle': ['新增单位', 'New unit'],
  'unit.editTitle': ['编辑单位', 'Edit unit'],
  'unit.retire': ['撤销', 'Retire'],
  'unit.retireConfirm': ['确定撤销单位“{name}”？', 'Retire the unit "{name}"?'],
  'unit.retired': ['单位已撤销', 'Unit retired'],
  'unit.nameRequired': ['请输入单位名称', 'Enter the name'],
  'unit.kindRequired': ['请选择类别', 'Choose the kind'],
  'unit.divisionRequired': ['请选择所属区划', 'Choose the division'],
  'unit.searchPlaceholder': ['输入单位名称搜索', 'Search by unit name'],
  'unit.kind.department': ['职能部门', 'Department'],
  'unit.kind.judicial': ['政法单位', 'Judicial body'],
  'unit.kind.police_station': ['派出所', 'Police station'],
  'unit.kind.center': ['社会治理中心', 'Governance centre'],
  'unit.kind.township_office': ['乡镇综治办', 'Township office'],
  'unit.kind.community': ['村（居）委会', 'Village committee'],
  'unit.kind.other': ['其他', 'Other'],

  'user.name': ['姓名/用户名', 'Name'],
  'user.namePlaceholder': ['姓名或用户名关键字', 'Part of the name or username'],
  'user.username': ['用户名', 'Username'],
  'user.displayName': ['姓名', 'Display name'],
  'user.roles': ['角色', 'Roles'],
  'user.rolesPlaceholder': ['可选多个角色', 'One or more roles'],
  'user.division': ['所属区划', 'Division'],
  'user.divisionPlaceholder': ['留空表示全县', 'Leave empty for the whole county'],
  'user.unit': ['所属单位', 'Unit'],
  'user.initialPassword': ['初始密码', 'Initial password'],
  'user.initialPasswordHint': ['用户首次登录时须修改此密码', 'The user must change it at first sign-in'],
  'user.create': ['新增用户', 'New user'],
  'user.createTitle': ['新增用户', 'New user'],
  'user.editTitle': ['编辑用户', 'Edit user'],
  'user.created': ['用户已创建', 'User created'],
  'user.usernameRequired': ['请输入用户名', 'Enter the username'],
  'user.displayNameRequired': ['请输入姓名', 'Enter the name'],
  'user.rolesRequired': ['请至少选择一个角色', 'Choose at least one role'],
  'user.passwordRequired': ['请输入密码', 'Enter a password'],
  'user.statusLocked': ['已锁定', 'Locked'],
  'user.statusLockedOut': ['暂时锁定', 'Locked out'],
  'user.statusLockedOutHint': ['连续输错密码，账号暂时锁定，可解锁或稍后自动恢复', 'Too many wrong passwords: unlock it, or wait for the lock to expire'],
  'user.statusMustChange': ['待改密', 'Must change password'],
  'user.lock': ['锁定', 'Lock'],
  'user.unlock': ['解锁', 'Unlock'],
  'user.lockConfirm': ['确定锁定“{name}”？锁定后该账号无法登录。', 'Lock "{name}"? The account cannot sign in while locked.'],
  'user.unlockConfirm': ['确定解锁“{name}”？', 'Unlock "{name}"?'],
  'user.locked': ['账号已锁定', 'Account locked'],
  'user.unlocked': ['账号已解锁', 'Account unlocked'],
  'user.resetPassword': ['重置密码', 'Reset password'],
  'user.resetPasswordTitle': ['重置密码', 'Reset password'],
  'user.resetPasswordHint': ['为“{name}”设置新密码，对方下次登录时须修改。', 'Set a new password for "{name}"; they must change it at their next sign-in.'],
  'user.passwordReset': ['密码已重置', 'Password reset'],
  'user.grids': ['网格职责', 'Grids'],
  'user.gridsTitle': ['网格与职责', 'Grids and duties'],
  'user.gridList': ['负责网格', 'Grids'],
  'user.gridPlaceholder': ['输入网格名称搜索', 'Search grids by name'],
  'user.duties': ['职责', 'Duties'],

  'duty.informant': ['信息员', 'Informant'],
  'duty.mediator': ['调解员', 'Mediator'],
  'duty.publicist': ['宣传员', 'Publicist'],
  'duty.agent': ['代办员', 'Errand agent'],
  'duty.patroller': ['巡防员', 'Patroller'],

  'audit.action': ['操作', 'Action'],
  'audit.entity': ['对象', 'Entity'],
  'audit.time': ['时间', 'Time'],
  'audit.from': ['开始时间', 'From'],
  'audit.to': ['结束时间', 'To'],
  'audit.actor': ['操作人', 'Actor'],
  'audit.detail': ['详情', 'Detail'],
  'audit.clientAddr': ['来源地址', 'Client address'],
  'audit.requestId': ['请求编号', 'Request ID'],
  'audit.entityName.user': ['用户', 'User'],
  'audit.entityName.session': ['会话', 'Session'],
  'audit.entityName.division': ['行政区划', 'Division'],
  'audit.entityName.unit': ['单位', 'Unit'],
  'audit.entityName.token': ['令牌', 'Token'],
  'audit.action.session.signin': ['登录', 'Sign-in'],
  'audit.action.session.signin_failed': ['登录失败', 'Failed sign-in'],
  'audit.action.session.signout': ['退出登录', 'Sign-out'],
  'audit.action.user.create': ['创建用户', 'User created'],
  'audit.action.user.update': ['修改用户', 'User changed'],
  'audit.action.user.lock': ['锁定用户', 'User locked'],
  'audit.action.user.unlock': ['解锁用户', 'User unlocked'],
  'audit.action.user.password_change': ['修改密码', 'Password changed'],
  'audit.action.user.password_reset': ['重置密码', 'Password reset'],
  'audit.action.user.grids': ['设置网格职责', 'Grids assigned'],
  'audit.action.division.create': ['新增区划', 'Division created'],
  'audit.action.division.update': ['修改区划', 'Division changed'],
  'audit.action.division.move': ['迁移区划', 'Division moved'],
  'audit.action.division.retire': ['撤销区划', 'Division retired'],
  'audit.action.division.import': ['导入区划', 'Divisions imported'],
  'audit.action.unit.create': ['新增单位', 'Unit created'],
  'audit.action.unit.update': ['修改单位', 'Unit changed'],
  'audit.action.unit.retire': ['撤销单位', 'Unit retired'],
  'audit.action.token.create': ['创建令牌', 'Token created'],
  'audit.action.token.revoke': ['吊销令牌', 'Token revoked'],

  'perm.division.read': ['查看行政区划', 'Read divisions'],
  'perm.division.admin': ['管理行政区划', 'Manage divisions'],
  'perm.unit.read': ['查看单位', 'Read units'],
  'perm.unit.admin': ['管理单位', 'Manage units'],
  'perm.user.read': ['查看用户', 'Read users'],
  'perm.user.admin': ['管理用户', 'Manage users'],
  'perm.audit.read': ['查看审计日志', 'Read the audit log'],
  'perm.token.manage': ['管理令牌', 'Manage tokens'],
  'perm.metrics.read': ['读取运行指标', 'Read metrics'],
  'perm.pii.reveal': ['查看完整个人信息', 'Reveal personal data'],

  'token.hint': ['令牌用于对接系统调用接口，权限不超过您本人的权限；令牌只在创建时显示一次。', 'Tokens let connected systems call the API with at most your own permissions; a token is shown once, when created.'],
  'token.create': ['创建令牌', 'New token'],
  'token.createTitle': ['创建令牌', 'New API token'],
  'token.name': ['名称', 'Name'],
  'token.permissions': ['权限', 'Permissions'],
  'token.createdAt': ['创建时间', 'Created'],
  'token.expiresAt': ['到期时间', 'Expires'],
  'token.lastUsedAt': ['最近使用', 'Last used'],
  'token.never': ['永不过期', 'Never'],
  'token.revoke': ['吊销', 'Revoke'],
  'token.revokedTag': ['已吊销', 'Revoked'],
  'token.revoked': ['令牌已吊销', 'Token revoked'],
  'token.revokeConfirm': ['确定吊销令牌“{name}”？使用它的系统将立即无法访问。', 'Revoke the token "{name}"? Systems using it lose access at once.'],
  'token.onceOnly': ['请立即复制并妥善保存，关闭后将无法再次查看。', 'Copy it now and keep it safe: it cannot be shown again.'],
  'token.copied': ['已复制', 'Copied'],
  'token.copyFailed': ['复制失败，请手动选择复制', 'Could not copy: select and copy it by hand'],
  'token.nameRequired': ['请输入名称', 'Enter a name'],
  'token.permissionsRequired': ['请至少选择一项权限', 'Choose at least one permission'],
};

const STORAGE_KEY = 'pingan.locale';
export const languages = ['zh-CN', 'en'];
// Each language named in itself, as language menus do everywhere.
export const languageNames = { 'zh-CN': '中文', en: 'English' };
const column = { 'zh-CN': 0, en: 1 };

function initialLocale() {
  const saved = localStorage.getItem(STORAGE_KEY);
  return languages.includes(saved) ? saved : 'zh-CN';
}

export const locale = ref(initialLocale());

export const elementLocale = computed(() => (locale.value === 'en' ? elementEn : elementZhCn));

// Looks a key up in the current language and fills {params}. An unknown
// key shows as itself, which a test catches before a user ever sees it.
export function t(key, params) {
  const entry = catalogue[key];
  const text = entry ? entry[column[locale.value]] : key;
  if (!params)
    return text;
  return text.replace(/\{(\w+)\}/g, (whole, name) => (name in params ? String(params[name]) : whole));
}

export function applyLocaleToDocument() {
  document.documentElement.lang = locale.value;
  document.title = t('app.title');
}

export function setLocale(code) {
  if (!languages.includes(code))
    return;
  locale.value = code;
  localStorage.setItem(STORAGE_KEY, code);
  applyLocaleToDocument();
}

// For the catalogue test: every key with both languages.
export function catalogueEntries() {
  return Object.entries(catalogue);
}
