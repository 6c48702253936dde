using System.Globalization;
using System.Resources;

[assembly: NeutralResourcesLanguage("zh-CN")]

namespace Fuchun.Domain.Resources;

/// <summary>
/// User-facing messages of the domain, read from <c>Messages.resx</c> (zh-CN is the neutral language; another
/// language is a satellite <c>Messages.xx.resx</c>). Each method is one resource key.
/// </summary>
public static class Messages
{
    private static readonly ResourceManager Resources = new("Fuchun.Domain.Resources.Messages", typeof(Messages).Assembly);

    /// <summary>The message for <paramref name="key"/> in the current UI culture, formatted with <paramref name="args"/>.</summary>
    public static string Get(string key, params object[] args)
    {
        var text = Resources.GetString(key, CultureInfo.CurrentUICulture)
            ?? throw new KeyNotFoundException($"message {key} is missing from Messages.resx");
        return args.Length == 0 ? text : string.Format(CultureInfo.CurrentCulture, text, args);
    }

    public static string Required() => Get(nameof(Required));

    public static string LandClassStyleName() => Get(nameof(LandClassStyleName));

    public static string LandClassStyleDescription(string field) => Get(nameof(LandClassStyleDescription), field);

    public static string CodeFormat() => Get(nameof(CodeFormat));

    public static string TooLong(int max) => Get(nameof(TooLong), max);

    public static string UnknownDistrict(string code) => Get(nameof(UnknownDistrict), code);

    public static string UnknownTownship(string code) => Get(nameof(UnknownTownship), code);

    public static string TownshipNotInDistrict(string township, string district) => Get(nameof(TownshipNotInDistrict), township, district);

    public static string PilotNeedsTwoTownships() => Get(nameof(PilotNeedsTwoTownships));

    public static string CompletionBeforeStart() => Get(nameof(CompletionBeforeStart));

    public static string NotNegative() => Get(nameof(NotNegative));

    public static string UnknownValue() => Get(nameof(UnknownValue));

    public static string DuplicateZone(string zone) => Get(nameof(DuplicateZone), zone);

    public static string ZoneOutsideArea(string zone, double mu) => Get(nameof(ZoneOutsideArea), zone, mu);

    public static string At(double lon, double lat) => Get(nameof(At), lon, lat);

    public static string GeometryEmpty() => Get(nameof(GeometryEmpty));

    public static string GeometryNotPolygon(string type) => Get(nameof(GeometryNotPolygon), type);

    public static string GeometryNonFinite(string coordinate) => Get(nameof(GeometryNonFinite), coordinate);

    public static string GeometryOutsideRange(string coordinate) => Get(nameof(GeometryOutsideRange), coordinate);

    public static string GeometrySelfIntersection(string where) => Get(nameof(GeometrySelfIntersection), where);

    public static string GeometryRingNotClosed(string where) => Get(nameof(GeometryRingNotClosed), where);

    public static string GeometryTooFewPoints(string where) => Get(nameof(GeometryTooFewPoints), where);

    public static string GeometryInvalid(string detail, string where) => Get(nameof(GeometryInvalid), detail, where);

    public static string GeoJsonUnreadable(string detail) => Get(nameof(GeoJsonUnreadable), detail);

    public static string ProjectNotFound(string code) => Get(nameof(ProjectNotFound), code);

    public static string CodeTaken(string code) => Get(nameof(CodeTaken), code);

    public static string TransitionNotAllowed(string from, string to) => Get(nameof(TransitionNotAllowed), from, to);

    public static string SendBackNeedsReason() => Get(nameof(SendBackNeedsReason));

    public static string ConcurrentEdit() => Get(nameof(ConcurrentEdit));

    public static string StageReserve() => Get(nameof(StageReserve));

    public static string StageSurveyEvaluation() => Get(nameof(StageSurveyEvaluation));

    public static string StageApproval() => Get(nameof(StageApproval));

    public static string StagePlanReview() => Get(nameof(StagePlanReview));

    public static string StageImplementation() => Get(nameof(StageImplementation));

    public static string StageDistrictAcceptance() => Get(nameof(StageDistrictAcceptance));

    public static string StageCityAcceptance() => Get(nameof(StageCityAcceptance));

    public static string StageMaintenance() => Get(nameof(StageMaintenance));

    public static string BodyUnreadable(string detail) => Get(nameof(BodyUnreadable), detail);

    public static string InternalError(string traceId) => Get(nameof(InternalError), traceId);

    public static string ValidationTitle() => Get(nameof(ValidationTitle));

    public static string NotFoundTitle() => Get(nameof(NotFoundTitle));

    public static string BadRequestTitle() => Get(nameof(BadRequestTitle));

    public static string UnknownStage(string stage) => Get(nameof(UnknownStage), stage);

    public static string ImportDatumNeedsTransform(string datum) => Get(nameof(ImportDatumNeedsTransform), datum);

    public static string ImportMissingField(string field) => Get(nameof(ImportMissingField), field);

    public static string ImportUnknownLandClass(string code) => Get(nameof(ImportUnknownLandClass), code);

    public static string ImportNotPolygon(string type) => Get(nameof(ImportNotPolygon), type);

    public static string ImportCoverageBroken(string where) => Get(nameof(ImportCoverageBroken), where);

    public static string ImportEmpty() => Get(nameof(ImportEmpty));

    public static string ImportRepaired(string problem, double beforeM2, double afterM2) => Get(nameof(ImportRepaired), problem, beforeM2, afterM2);

    public static string LayerKindNotParcels(string kind) => Get(nameof(LayerKindNotParcels), kind);

    public static string LayerUploadFormat(string file) => Get(nameof(LayerUploadFormat), file);

    public static string LayerExportFormat(string format) => Get(nameof(LayerExportFormat), format);

    public static string LayerNotFound(string code, string kind) => Get(nameof(LayerNotFound), code, kind);

    public static string ImportOverlap(string where) => Get(nameof(ImportOverlap), where);

    public static string ImportEdgeMismatch(string where) => Get(nameof(ImportEdgeMismatch), where);

    public static string ImportGap(string where, double areaM2) => Get(nameof(ImportGap), where, areaM2);

    public static string ImportFeature(string source, int feature, string message) => Get(nameof(ImportFeature), source, feature, message);

    public static string ImportFile(string source, string message) => Get(nameof(ImportFile), source, message);

    public static string ImportMore(int count) => Get(nameof(ImportMore), count);

    public static string PackageNotFound() => Get(nameof(PackageNotFound));

    public static string PackageMissingLayer(string name) => Get(nameof(PackageMissingLayer), name);

    public static string PackageProjectJson(string detail) => Get(nameof(PackageProjectJson), detail);

    public static string PackageMissingKey(string key) => Get(nameof(PackageMissingKey), key);

    public static string PackageExportNoArea(string code) => Get(nameof(PackageExportNoArea), code);

    public static string StageRegistered() => Get(nameof(StageRegistered));

    public static string PlanIsFixed(string code) => Get(nameof(PlanIsFixed), code);

    public static string OutsideOwnDistrict(string district) => Get(nameof(OutsideOwnDistrict), district);

    public static string SignInNeeded() => Get(nameof(SignInNeeded));

    public static string AccountUserName() => Get(nameof(AccountUserName));

    public static string AccountNoRole() => Get(nameof(AccountNoRole));

    public static string AccountNeedsDistrict(string code) => Get(nameof(AccountNeedsDistrict), code);

    public static string AccountTaken(string name) => Get(nameof(AccountTaken), name);

    public static string AccountNotFound(string name) => Get(nameof(AccountNotFound), name);

    public static string TokenLifetime(int days) => Get(nameof(TokenLifetime), days);

    public static string TokenNotFound(int id) => Get(nameof(TokenNotFound), id);

    public static string TokenInvalid() => Get(nameof(TokenInvalid));

    public static string PackageUploadFormat(string file) => Get(nameof(PackageUploadFormat), file);

    public static string PackageExportFormat(string format) => Get(nameof(PackageExportFormat), format);

    public static string PackageFieldError(string file, string message) => Get(nameof(PackageFieldError), file, message);

    public static string PackageZipContents() => Get(nameof(PackageZipContents));

    public static string CheckLayer(string layer) => Get(nameof(CheckLayer), layer);

    public static string GateMissingLayer(string gate, string layer) => Get(nameof(GateMissingLayer), gate, layer);

    public static string GateBlocked(string gate, string rules, string roles) => Get(nameof(GateBlocked), gate, rules, roles);

    public static string GateWaiverRole(string gate, string roles) => Get(nameof(GateWaiverRole), gate, roles);

    public static string UnknownBlockSet(string set) => Get(nameof(UnknownBlockSet), set);

    public static string PackageBadValue(string key, string value) => Get(nameof(PackageBadValue), key, value);

    public static string PasswordLength(int min, int max) => Get(nameof(PasswordLength), min, max);

    public static string PasswordClasses() => Get(nameof(PasswordClasses));

    public static string PasswordHasUserName() => Get(nameof(PasswordHasUserName));

    public static string PasswordSameAsOld() => Get(nameof(PasswordSameAsOld));

    public static string PasswordWrong() => Get(nameof(PasswordWrong));

    public static string SignInFailed() => Get(nameof(SignInFailed));

    public static string SignInLocked(string until) => Get(nameof(SignInLocked), until);

    public static string SignInDisabled() => Get(nameof(SignInDisabled));

    public static string SignInNoPassword() => Get(nameof(SignInNoPassword));

    public static string PasswordChangeFirst() => Get(nameof(PasswordChangeFirst));

    public static string CsrfRefused() => Get(nameof(CsrfRefused));

    public static string TooManySignIns() => Get(nameof(TooManySignIns));

    public static string Forbidden() => Get(nameof(Forbidden));

    public static string RolesIncompatible(string roles) => Get(nameof(RolesIncompatible), roles);

    public static string RolesOwnAccount() => Get(nameof(RolesOwnAccount));

    public static string StageDecidedBy(string stage, string role) => Get(nameof(StageDecidedBy), stage, role);

    public static string StageOtherDistrict(string district) => Get(nameof(StageOtherDistrict), district);

    public static string UnknownRole(string name) => Get(nameof(UnknownRole), name);

    public static string AuditRetentionTooShort(int days, int minimum) => Get(nameof(AuditRetentionTooShort), days, minimum);

    public static string PlanCode() => Get(nameof(PlanCode));

    public static string PlanName() => Get(nameof(PlanName));

    public static string PlanDistrict(string code) => Get(nameof(PlanDistrict), code);

    public static string PlanOutlineNoDistrict() => Get(nameof(PlanOutlineNoDistrict));

    public static string PlanYears(int start, int end) => Get(nameof(PlanYears), start, end);

    public static string PlanAnnualYear() => Get(nameof(PlanAnnualYear));

    public static string PlanParentMissing(string code) => Get(nameof(PlanParentMissing), code);

    public static string PlanParentLevel(string expected) => Get(nameof(PlanParentLevel), expected);

    public static string PlanParentDistrict() => Get(nameof(PlanParentDistrict));

    public static string PlanProjectOutside(string code, string district) => Get(nameof(PlanProjectOutside), code, district);

    public static string PlanProjectsOnlyAnnual() => Get(nameof(PlanProjectsOnlyAnnual));

    public static string PlanTaken(string code) => Get(nameof(PlanTaken), code);

    public static string PlanNotFound(string code) => Get(nameof(PlanNotFound), code);

    public static string PlanNotEditable(string status) => Get(nameof(PlanNotEditable), status);

    public static string PlanWrongStatus(string action, string status) => Get(nameof(PlanWrongStatus), action, status);

    public static string PlanParentNotApproved(string code) => Get(nameof(PlanParentNotApproved), code);

    public static string PlanReturnReason() => Get(nameof(PlanReturnReason));

    public static string PlanAuthorOnly(string role) => Get(nameof(PlanAuthorOnly), role);

    public static string PlanApproverOnly(string body, string role) => Get(nameof(PlanApproverOnly), body, role);

    public static string PlanRequiredForApproval(string code, string district, int year) => Get(nameof(PlanRequiredForApproval), code, district, year);

    public static string PlanLevelCityOutline() => Get(nameof(PlanLevelCityOutline));

    public static string PlanLevelDistrict() => Get(nameof(PlanLevelDistrict));

    public static string PlanLevelArea() => Get(nameof(PlanLevelArea));

    public static string PlanLevelAnnual() => Get(nameof(PlanLevelAnnual));

    public static string PlanStatusDraft() => Get(nameof(PlanStatusDraft));

    public static string PlanStatusSubmitted() => Get(nameof(PlanStatusSubmitted));

    public static string PlanStatusApproved() => Get(nameof(PlanStatusApproved));

    public static string PlanStatusReturned() => Get(nameof(PlanStatusReturned));

    public static string PlanBodyCityGovernment() => Get(nameof(PlanBodyCityGovernment));

    public static string PlanBodyLeadingGroup() => Get(nameof(PlanBodyLeadingGroup));

    public static string PlanActionSubmit() => Get(nameof(PlanActionSubmit));

    public static string PlanActionApprove() => Get(nameof(PlanActionApprove));

    public static string PlanActionReturn() => Get(nameof(PlanActionReturn));

    public static string InboxStage(string stage, string next) => Get(nameof(InboxStage), stage, next);

    public static string InboxPlanApprove(string level, string body) => Get(nameof(InboxPlanApprove), level, body);

    public static string InboxPlanSubmit(string level) => Get(nameof(InboxPlanSubmit), level);

    public static string InboxPlanReturned(string reason) => Get(nameof(InboxPlanReturned), reason);

    public static string DocumentKindUnknown(string kind) => Get(nameof(DocumentKindUnknown), kind);

    public static string DocumentType(string file, string extensions) => Get(nameof(DocumentType), file, extensions);

    public static string DocumentSize(string file, int mb) => Get(nameof(DocumentSize), file, mb);

    public static string DocumentEmpty(string file) => Get(nameof(DocumentEmpty), file);

    public static string DocumentNotFound(int id) => Get(nameof(DocumentNotFound), id);

    public static string DocumentsRequired(string stage, string names) => Get(nameof(DocumentsRequired), stage, names);

    public static string ProvincialApprovalCityOnly() => Get(nameof(ProvincialApprovalCityOnly));

    public static string ProvincialApprovalNumber() => Get(nameof(ProvincialApprovalNumber));

    public static string ProvincialApprovalDate() => Get(nameof(ProvincialApprovalDate));

    public static string AccountNeedsTownship(string code) => Get(nameof(AccountNeedsTownship), code);

    public static string AccountTownshipOutside(string code, string district) => Get(nameof(AccountTownshipOutside), code, district);
}
