namespace Fuchun.Domain.Projects;

/// <summary>How a project is invested in (投资模式), glossary <c>InvestmentMode</c>.</summary>
public enum InvestmentMode
{
    /// <summary>政府投资.</summary>
    Government,

    /// <summary>社会资本投资.</summary>
    SocialCapital,

    /// <summary>融资+工程总承包 (F+EPC).</summary>
    FinancingEpc,

    /// <summary>工程总承包+运营 (EPC+O).</summary>
    EpcOperation,

    /// <summary>融资+工程总承包+运营 (F+EPC+O).</summary>
    FinancingEpcOperation,

    /// <summary>多元投入.</summary>
    Mixed,
}

/// <summary>Where a project's money comes from (资金来源).</summary>
public enum FundingSource
{
    /// <summary>中央资金.</summary>
    Central,

    /// <summary>省级资金.</summary>
    Provincial,

    /// <summary>市级资金.</summary>
    City,

    /// <summary>区县（市）资金.</summary>
    District,

    /// <summary>地方政府专项债券.</summary>
    SpecialBonds,

    /// <summary>社会资本.</summary>
    SocialCapital,

    /// <summary>金融机构贷款.</summary>
    BankLoans,

    /// <summary>指标交易收益.</summary>
    QuotaTradeIncome,

    /// <summary>村集体及其他.</summary>
    Other,
}
